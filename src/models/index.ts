// depthlab's models on TensorFlow.js: backends (with the wasm training fixes),
// the shared transformer backbone, and the training loop with checkpoints.
export * as backend from './backend/index.js';
export * as backbone from './backbone/index.js';
export * as training from './training/index.js';
export * as kinds from './kinds/index.js';
