/** lb-registrar: keeps OCI load balancer backend sets filled with the cluster's nodes. */

import "./src/cli/quiet.ts"; // first: silences a Node deprecation warning before any npm code loads
import { main } from "./src/cli/main.ts";
import { systemIo } from "./src/cli/io.ts";

Deno.exit(await main(Deno.args, systemIo()));
