/**
 * Silences Node's DEP0040 (punycode) warning that client-node 1.4.0 triggers through node-fetch@2 at
 * import time. Imported before "@kubernetes/client-node" so it runs first (deno-stack-notes §1).
 */
import process from "node:process";

// Node's documented flag; Deno's node types omit it.
(process as { noDeprecation?: boolean }).noDeprecation = true;
