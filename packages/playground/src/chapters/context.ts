/** What a chapter gets when it is shown: its element, its state in the URL, and a way to clean up. */
import type { ChapterState } from "../route";

export interface ChapterContext {
  /** The element the chapter fills. */
  root: HTMLElement;
  /** Its state in the URL hash. */
  state: ChapterState;
  /** Registers what to undo when the chapter is left (animation loops, running tasks, observers). */
  onLeave(cleanup: () => void): void;
  /** Whether the chapter is still the one shown. */
  alive(): boolean;
}
