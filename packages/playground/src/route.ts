/**
 * Where the page is: `#/<chapter>?key=value&…`. Each chapter keeps its state (expression, start
 * point, rate, method, network shape, …) in the hash, so a link reproduces the view; state
 * changes replace the current history entry, chapter changes push one.
 */

/** The chapter and its state, as the hash says. */
export interface Route {
  chapter: string;
  params: URLSearchParams;
}

/** The current route (chapter "" when the hash names none). */
export function currentRoute(): Route {
  const hash = location.hash.replace(/^#\/?/, "");
  const [chapter = "", query = ""] = hash.split("?", 2);
  return { chapter: decodeURIComponent(chapter), params: new URLSearchParams(query) };
}

function hashOf(chapter: string, params: URLSearchParams): string {
  const query = params.toString();
  return `#/${encodeURIComponent(chapter)}${query ? `?${query}` : ""}`;
}

/** A chapter's state in the hash: typed reads with defaults, and writes that keep the URL current. */
export class ChapterState {
  constructor(private readonly chapter: string) {}

  private params(): URLSearchParams {
    return currentRoute().params;
  }

  /** A string value, or the fallback. */
  text(key: string, fallback: string): string {
    return this.params().get(key) ?? fallback;
  }

  /** A finite number, or the fallback (a malformed value in a hand-edited link is ignored). */
  number(key: string, fallback: number): number {
    const raw = this.params().get(key);
    const value = raw === null ? Number.NaN : Number(raw);
    return Number.isFinite(value) ? value : fallback;
  }

  /** A list of numbers ("1,2.5"), or the fallback when any is malformed. */
  numbers(key: string, fallback: number[]): number[] {
    const raw = this.params().get(key);
    if (raw === null || raw === "") return raw === "" ? [] : fallback;
    const values = raw.split(",").map(Number);
    return values.every(Number.isFinite) ? values : fallback;
  }

  /** One of the allowed values, or the fallback. */
  choice<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.params().get(key);
    return allowed.includes(raw as T) ? (raw as T) : fallback;
  }

  /** A flag ("1"/"0"). */
  flag(key: string, fallback: boolean): boolean {
    const raw = this.params().get(key);
    return raw === null ? fallback : raw === "1";
  }

  /** Writes values (numbers and lists as text, flags as 1/0) into the hash, replacing the history entry. */
  set(values: Record<string, string | number | boolean | number[]>): void {
    const params = this.params();
    for (const [key, value] of Object.entries(values)) {
      const text = Array.isArray(value)
        ? value.join(",")
        : typeof value === "boolean"
          ? value
            ? "1"
            : "0"
          : String(value);
      params.set(key, text);
    }
    history.replaceState(null, "", `${location.pathname}${location.search}${hashOf(this.chapter, params)}`);
  }
}

/** The link to a chapter (with no state: its defaults). */
export function chapterLink(chapter: string): string {
  return hashOf(chapter, new URLSearchParams());
}
