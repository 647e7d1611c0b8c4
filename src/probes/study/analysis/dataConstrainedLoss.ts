/**
 * dataConstrainedLoss — the loss model fitted by fitDataConstrained, for one
 * model kind and size:
 *
 *   L(U, E) = L∞ + B / D′(U, E)^β,   D′ = U + U·R·(1 − e^{−(E−1)/R})  (effectiveData.ts)
 *
 * L∞ is the loss with unlimited data, B and β the data-scaling term, R = R_D*.
 * With rStar = Infinity the model is L∞ + B/(U·E)^β.
 */
import { effectiveData } from './effectiveData.js';

export interface DataConstrainedParams {
  rStar: number;
  lInf: number;
  b: number;
  beta: number;
}

export function dataConstrainedLoss(params: DataConstrainedParams, uniqueTokens: number, epochs: number): number {
  return params.lInf + params.b * effectiveData(uniqueTokens, epochs, params.rStar) ** -params.beta;
}
