/**
 * The data-constrained study's analysis (issue 7): Muennighoff's effective
 * data and loss form, the fit of R_D* with intervals, the AR/diffusion
 * crossover compute, power-law fits of C_crit against U, and the 6·N·D
 * training-FLOPs estimate, and analyseStudy: a whole study's cells → R_D*
 * per series, C_crit per U and its power law, with counts and caveats. Pure
 * functions; each file's header gives its formulas.
 */
export { StudyAnalysisError } from './StudyAnalysisError.js';
export { effectiveData } from './effectiveData.js';
export { dataConstrainedLoss } from './dataConstrainedLoss.js';
export type { DataConstrainedParams } from './dataConstrainedLoss.js';
export { fitDataConstrained } from './fitDataConstrained.js';
export type { DataConstrainedFit, DataConstrainedOptions, DataConstrainedPoint } from './fitDataConstrained.js';
export { crossoverCompute } from './crossoverCompute.js';
export type { ComputePoint, Crossover, CrossoverStatus } from './crossoverCompute.js';
export { powerLawFit } from './powerLawFit.js';
export type { PowerLawFit, PowerLawOptions } from './powerLawFit.js';
export { trainingFlops } from './trainingFlops.js';
export { analyseStudy, PUBLISHED_CONSTANTS } from './analyseStudy.js';
export type { AnalyseStudyOptions } from './analyseStudy.js';
export { seriesNamer as studySeriesNamer } from './_internals/studySeries.js';
export type { SeriesIdentity as StudySeriesIdentity } from './_internals/studySeries.js';
export type {
  CCritFit,
  PublishedConstants,
  RDStar,
  RDStarPoint,
  SeedSpread,
  StudyAnalysis,
  StudyBest,
  StudyBudget,
  StudyCounts,
  StudyCrossing,
  StudyCurvePoint,
  StudyEpochRun,
  StudyFamily,
  StudyFieldValue,
  StudyPair,
  StudyRunCurve,
  StudySeries,
} from './analyseStudyTypes.js';
