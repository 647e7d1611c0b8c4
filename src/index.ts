// depthlab's library entry point: one namespace per area (see ../shared/DESIGN.md).
export * as circuits from './circuits/index.js';
export * as sde from './sde/index.js';
export * as models from './models/index.js';
export * as probes from './probes/index.js';
