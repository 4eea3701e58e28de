/**
 * English and Spanish. Every text is written where it is used as a pair, tr("English", "Español");
 * the language lives in the URL (?lang=es), so a link keeps it, and switching re-renders the page.
 */

export type Lang = "en" | "es";

/** The page's language: ?lang=es, else English. */
export function currentLang(): Lang {
  return new URLSearchParams(location.search).get("lang") === "es" ? "es" : "en";
}

/** The text in the page's language. */
export function tr(en: string, es: string): string {
  return currentLang() === "es" ? es : en;
}

/** Switches the language in the URL (keeping the chapter and its state in the hash). */
export function setLang(lang: Lang): void {
  const url = new URL(location.href);
  if (lang === "en") url.searchParams.delete("lang");
  else url.searchParams.set("lang", lang);
  history.replaceState(null, "", url);
  document.documentElement.lang = lang;
}

/** A number as the page's language writes it (decimal comma in Spanish). */
export function formatNumber(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString(currentLang() === "es" ? "es-ES" : "en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: Math.abs(value) >= 1e4,
  });
}
