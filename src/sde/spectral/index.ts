export { fft, fft2, fft2InPlace, fftFrequencies, fftInPlace, ifft, ifft2, naiveDft } from './fft.js';
export type { ComplexArray, FftNorm, FftOptions } from './fft.js';
export { equalSnrNoise, fMax, fMaxPowerLaw, frequencySnr } from './frequencySnr.js';
export { fieldFromVariances, fromRealFourier1d, marginalVariances, posteriorVariances, powerLawField1d, powerLawField2d, realFourierRadius, sampleField, spectralScore, spectralScoreFunction, toRealFourier1d, wienerEstimate } from './gaussianField.js';
export type { PowerLawFieldOptions, SpectralGaussian } from './gaussianField.js';
export { generationOrder, spearman } from './generationOrder.js';
export type { BandResolution, GenerationOrderOptions, GenerationOrderResult, GenerationOrderRow, SpectralNoise } from './generationOrder.js';
export { fitPowerLaw, radialAverage, radialIndex1d, radialIndex2d, rapsd1d, rapsd2d } from './rapsd.js';
export type { PowerLawFit, PowerLawFitOptions, Rapsd, RapsdOptions } from './rapsd.js';
