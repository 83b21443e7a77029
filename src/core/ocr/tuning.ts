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

/**
 * Figures: bench/levers.ts on the issue-11 set (48 inputs, 61 pages), CPU per page in one engine
 * process, shared 2-core machine (load 10-28, so differences under ~10% are noise). Baseline
 * 1.65 CPU-s/page, CER mean per input 9.09%.
 */
export const DEFAULT_TUNING: OcrTuning = {
  // The model is not here but in the ocr_model setting: fast data was 23% less CPU (1.27 s/page)
  // but mean CER 9.78% (pdf 6.45 -> 9.51%, receipts 11.6 -> 14.5%, images equal), so best_int stays the default.
  // tessedit_do_invert=0 gave byte-identical text and CPU within noise (1.61 vs 1.65 s/page);
  // load_system_dawg/load_freq_dawg=0 likewise identical (the LSTM does not use those dawgs).
  params: {},
  initParams: {},
  // Scaling 300 dpi pages to 250 saved ~4% CPU (the LSTM normalises every text line to a fixed
  // height, so its cost barely follows resolution) and cost receipts 3.2 points of CER: 300 dpi
  // is where accuracy stops improving here. The corpus has no page stated between 300 and 400 dpi.
  downscaleAboveDpi: 400,
  targetDpi: 300,
  // Upright pages with words scored 62-96, the 180/90-degree pages 33-42 (cardinal, rotated-180):
  // below 50 is checked. At 70, OSD also ran on four upright pages (a map, a graph, two small
  // scans; 62-69) for nothing, and started the OSD worker (~1.3 s CPU, a second WASM heap) for them.
  orientationCheckBelow: 50,
  // A page where tesseract found no words gains nothing from OSD (a drawing, a skewed page, a
  // blank one); the blank-page check and this took 1.65 -> 1.57 s/page with identical text.
  orientationNeedsWords: true,
  skipBlankPages: true,
};

export function resolveTuning(over: Partial<OcrTuning> = {}): OcrTuning {
  return {
    ...DEFAULT_TUNING,
    ...over,
    params: { ...DEFAULT_TUNING.params, ...over.params },
    initParams: { ...DEFAULT_TUNING.initParams, ...over.initParams },
  };
}
