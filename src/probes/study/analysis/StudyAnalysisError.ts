/**
 * StudyAnalysisError — bad input to the data-constrained study's analysis
 * (too few points, a non-finite or non-positive loss, options out of range).
 * The message is always one line: what was wrong and what is expected.
 */
export class StudyAnalysisError extends Error {
  override readonly name = 'StudyAnalysisError';
}
