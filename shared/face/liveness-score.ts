/** How the two passive liveness model outputs combine into one score. */
export function combinePassiveLiveness(s: { antispoof: number; liveness: number }): number {
  // Both models must agree: the geometric mean punishes either one saying "spoof".
  return Math.sqrt(s.antispoof * s.liveness);
}
