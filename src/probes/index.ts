export { lineChart, renderSvg } from './report/renderSvg.js';
export type { VegaLiteSpec } from './report/renderSvg.js';
export { writeFileAtomic, writeResultFiles } from './report/writeOutputs.js';
