/** What a run reports while it works; measure/ calls it, report/progress.ts draws it on stderr. */
export interface Progress {
  /** A variant starts building. */
  variant(scenario: string, variant: string, index: number, total: number): void;
  /** A built variant's measuring starts (pull size, files, smoke check), after every variant of its scenario was built. */
  measuring(scenario: string, variant: string): void;
  /** The running build reached a step. */
  step(name: string): void;
  /** A finished variant, or a note about the run. */
  line(text: string): void;
}
