/** Simplifying a tree: through the normal form and back (see canonical.ts for what that does). */
import type { ExprNode } from "./ast.js";
import { toSum } from "./canonical.js";
import { sumToTree } from "./to-tree.js";

export function simplify(node: ExprNode): ExprNode {
  return sumToTree(toSum(node));
}
