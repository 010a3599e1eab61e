import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/responses";
import { getConfig } from "@/lib/config";

export const GET = () => json(openApiDocument(getConfig().publicUrl));
