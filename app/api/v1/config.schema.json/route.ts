import { json } from "@/lib/api/responses";
import { configJsonSchema } from "@/lib/portal/config-as-code";

/** The configuration file's JSON Schema, public so editors can validate and complete it. */
export const GET = () => json(configJsonSchema());
