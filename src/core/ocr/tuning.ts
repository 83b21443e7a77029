/**
 * How the tesseract engine spends its time on a page: the knobs measured by bench/levers.ts.
 * One object so that the benchmark can try each lever alone against the defaults; the defaults
 * are what the measurements chose (each with its figure beside it).
 */

export interface OcrTuning {
  /** tesseract parameters set once when a worker starts (on top of PSM 3 and the default dpi). */
  params: Readonly<Record<string, string>>;
  /** tesseract parameters it reads only at initialisation (load_system_dawg and the like). */
  initParams: Readonly<Record<string, string>>;
  /** Pages stated above this resolution are scaled down to `targetDpi`. */
  downscaleAboveDpi: number;
  targetDpi: number;
  /** Below this mean confidence a page is checked for 90/180/270-degree rotation (OSD). */
  orientationCheckBelow: number;
  /** Only pages where the first reading found words are checked (no words: a drawing, a blank). */
  orientationNeedsWords: boolean;
  /** Pages found blank by the ink check are not OCR'd. */
  skipBlankPages: boolean;
}

export const DEFAULT_TUNING: OcrTuning = {
  params: {},
  initParams: {},
  downscaleAboveDpi: 400,
  targetDpi: 300,
  orientationCheckBelow: 70,
  orientationNeedsWords: false,
  skipBlankPages: false,
};

export function resolveTuning(over: Partial<OcrTuning> = {}): OcrTuning {
  return { ...DEFAULT_TUNING, ...over, params: { ...DEFAULT_TUNING.params, ...over.params }, initParams: { ...DEFAULT_TUNING.initParams, ...over.initParams } };
}
