/** The chapters, in the founding document's order; each is loaded when first opened. */
import type { ChapterContext } from "./context";

export interface ChapterEntry {
  id: string;
  title: [en: string, es: string];
  load: () => Promise<{ mount: (context: ChapterContext) => void }>;
}

export const CHAPTERS: readonly ChapterEntry[] = [
  { id: "cost", title: ["The cost", "El costo"], load: () => import("./cost") },
  { id: "parabola", title: ["The parabola", "La parábola"], load: () => import("./parabola") },
  { id: "routes", title: ["Other routes", "Otros caminos"], load: () => import("./routes") },
  { id: "two-variables", title: ["Two variables", "Dos variables"], load: () => import("./two-variables") },
  { id: "rate", title: ["Choosing the rate", "Elegir la tasa"], load: () => import("./rate") },
  {
    id: "sigmoid",
    title: ["The sigmoid and the chain rule", "La sigmoide y la regla de la cadena"],
    load: () => import("./sigmoid"),
  },
  {
    id: "neuron",
    title: ["A sigmoid neuron learns", "Una neurona sigmoide aprende"],
    load: () => import("./neuron"),
  },
  { id: "network", title: ["A network", "Una red"], load: () => import("./network") },
  { id: "digits", title: ["Digits", "Dígitos"], load: () => import("./digits") },
  { id: "cats", title: ["Cats vs dogs", "Gatos contra perros"], load: () => import("./cats") },
];
