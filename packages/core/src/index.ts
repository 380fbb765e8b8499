// @kode/core: the engine behind `kode generate`, `kode run` and `kode loop` (SPEC §1.3, §8, §13).
export { generatePatch, runLoop, runTask } from './engine.js';
export { exitCodeOf, taskIdOf } from './run-state.js';
export { recoveryAuditEntry } from './recover.js';
export { buildTaskContext, estimateTokens, isExcludedFromContext, parseContextPacket } from './context-packet.js';
export type { BuiltContext, ContextPacket, ContextPacketFile, ContextPacketParseResult } from './context-packet.js';
export { SUBMIT_PATCH_TOOL, systemPrompt } from './prompt.js';
export { runTestCommand, testEnvironment, testFailureReason } from './test-runner.js';
export type { TestRunOptions, TestRunResult } from './test-runner.js';
export { critiquePatch, critiqueReason } from './critique/critique.js';
export type { CritiqueFile, CritiqueFinding, CritiqueLens } from './critique/critique.js';
export type {
  ConfirmRequest,
  ErrorKind,
  ExecutionSummary,
  GenerateOutput,
  KodeEvent,
  LoopOptions,
  LoopResult,
  RunOptions,
  SummaryStatus,
  TestRecord,
} from './types.js';
