/**
 * Imported first by main.ts: node-fetch@2 → whatwg-url → tr46 (under @kubernetes/client-node and
 * the OCI SDK) loads node:punycode, whose DEP0040 warning would otherwise land on stderr at start.
 * NODE_NO_WARNINGS and NODE_OPTIONS do not reach Deno's Node compat layer; this flag does.
 */

import process from "node:process";

// Node's documented flag; @types/node omits it.
(process as { noDeprecation?: boolean }).noDeprecation = true;
