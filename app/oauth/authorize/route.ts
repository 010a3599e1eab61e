import { authorizeEndpoint } from "@/lib/oauth/authorize";

/** RFC 6749 §4.1.1 (GET only; no CORS: browsers navigate here, scripts have no business). */
export const GET = (request: Request) => authorizeEndpoint(request);
