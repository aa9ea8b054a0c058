import { describe, expect, it } from 'vitest';
import * as cv from './index.js';

describe('@cornu/cv public surface', () => {
  it('exports exactly these names (an accidental export or removal shows up here)', () => {
    expect(Object.keys(cv).sort()).toMatchInlineSnapshot(`
      [
        "AugMix",
        "AutoContrast",
        "BaseColorLayer",
        "BaseGeometricLayer",
        "BaseImageAugmentationLayer",
        "CenterCrop",
        "CutMix",
        "Equalization",
        "GridMask",
        "IMAGE_EXTENSIONS",
        "MixUp",
        "Mosaic",
        "RandAugment",
        "RandomBrightness",
        "RandomColorJitter",
        "RandomContrast",
        "RandomCrop",
        "RandomElasticTransform",
        "RandomErasing",
        "RandomFlip",
        "RandomGaussianBlur",
        "RandomGrayscale",
        "RandomHue",
        "RandomInvert",
        "RandomPerspective",
        "RandomPosterization",
        "RandomRotation",
        "RandomSaturation",
        "RandomSharpness",
        "RandomShear",
        "RandomTranslation",
        "RandomZoom",
        "Rescaling",
        "Resizing",
        "Solarization",
        "boxes",
        "decodeImage",
        "gaussianKernel",
        "homography",
        "hsvToRgb",
        "imageDatasetFromDirectory",
        "nonMaxSuppression",
        "plotImageGallery",
        "readImage",
        "resizeImage",
        "rgbToHsv",
        "writeImage",
      ]
    `);
  });

  it('exports the box utilities as a namespace', () => {
    expect(Object.keys(cv.boxes).sort()).toMatchInlineSnapshot(`
      [
        "BOX_FORMATS",
        "clipToImage",
        "computeCIoU",
        "computeGIoU",
        "computeIoU",
        "convertFormat",
        "decodeBoxTargets",
        "encodeBoxTargets",
        "nonMaxSuppression",
        "toDense",
        "toRagged",
      ]
    `);
  });
});
