export { createCapturedIO } from './captured-io.js';
export type { CapturedIO } from './captured-io.js';
export { createTempProject, GIT_IDENTITY_ENV } from './temp-project.js';
export type { CreateTempProjectOptions, TempProject } from './temp-project.js';
export { kodeBinPath, runKode } from './run-kode.js';
export type { KodeRun, RunKodeOptions } from './run-kode.js';
export { sanitizeOutput, stripAnsi } from './sanitize.js';
export { captureTree } from './tree-capture.js';
export type { SanitizeOptions } from './sanitize.js';
export { startFakeOpenAI } from './fake-openai.js';
export type {
  FakeDropStep,
  FakeErrorStep,
  FakeHangStep,
  FakeModelsStep,
  FakeReplyStep,
  FakeRoute,
  FakeServer,
  FakeServerOptions,
  FakeStallStep,
  FakeStep,
  FakeToolCall,
  FakeUsage,
  RecordedRequest,
} from './fake-openai.js';
export { startFakeAnthropic } from './fake-anthropic.js';
