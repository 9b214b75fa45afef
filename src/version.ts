/** The one place the release version comes from: deno.json's "version". */

import denoJson from "../deno.json" with { type: "json" };

/** Version of this build, e.g. "0.1.0". */
export const VERSION: string = denoJson.version;
