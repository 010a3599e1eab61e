// One admin API key as the management API lists it (the hint, never the key), for the admin
// page and the CLI: only a type, derived from the function that builds the answer.
import type { listAdminApiKeys } from "./admin-api-keys.ts";

export type AdminApiKeyView = Awaited<ReturnType<typeof listAdminApiKeys>>[number];
