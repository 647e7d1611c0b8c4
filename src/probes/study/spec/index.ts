/**
 * Study specs: validation (the probe specs' reader and one-line errors),
 * expansion into study cells, and the named study presets.
 */
export { parseStudySpec, studySpec, studySpecSchema } from './StudySpec.js';
export type { StudySpec, StudySpecInput } from './StudySpec.js';
export { expandStudyGrid } from './expandStudyGrid.js';
export type { StudyGridCell } from './expandStudyGrid.js';
export { STUDY_PRESET_NAMES, STUDY_PRESETS } from './presets.js';
