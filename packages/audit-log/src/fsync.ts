// fsync off the main thread: it is the one call in the append path that can take milliseconds.
import { fsync } from 'node:fs';

export function syncDescriptor(descriptor: number): Promise<void> {
  return new Promise((resolvePromise, rejectPromise) => {
    fsync(descriptor, (error) => (error ? rejectPromise(error) : resolvePromise()));
  });
}
