"use client";
// A proxy's OpenAPI document rendered by Swagger UI (bundled, nothing from a CDN; its base
// layout has no online-validator badge, the one part that would load an external image). "Try it out" calls the gateway on this
// origin with a bearer token from one of the developer's own apps, entered under Authorize.
import dynamic from "next/dynamic";
import { useMemo } from "react";
import "swagger-ui-react/swagger-ui.css";

const SwaggerUI = dynamic(() => import("swagger-ui-react"), { ssr: false, loading: () => <p className="text-sm text-slate-500">Loading the API reference…</p> });

type Spec = Record<string, unknown> & { components?: Record<string, unknown>; security?: unknown };

function gatewaySpec(raw: string, gatewayPath: string, origin: string): Spec | null {
  let spec: Spec;
  try {
    spec = JSON.parse(raw) as Spec;
  } catch {
    return null; // YAML or broken: shown as text below
  }
  if (!spec || typeof spec !== "object") return null;
  const components = (spec.components ?? {}) as { securitySchemes?: Record<string, unknown> };
  const schemes = components.securitySchemes ?? {};
  return {
    ...spec,
    servers: [{ url: `${origin}${gatewayPath}`, description: "Gatehouse gateway" }],
    components: { ...components, securitySchemes: { gatehouse: { type: "http", scheme: "bearer", description: "An access token of one of your apps" }, ...schemes } },
    security: spec.security ?? [{ gatehouse: [] }],
  };
}

export function ProxyDocs({ spec, gatewayPath }: { spec: string | null; gatewayPath: string }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const parsed = useMemo(() => (spec ? gatewaySpec(spec, gatewayPath, origin) : null), [spec, gatewayPath, origin]);
  if (!spec) return <p className="text-sm text-slate-500">This API has no OpenAPI document yet.</p>;
  if (!parsed) return <pre className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs">{spec}</pre>;
  return (
    <div data-testid="openapi-reference" className="swagger-host">
      <SwaggerUI spec={parsed} tryItOutEnabled={false} deepLinking={false} />
    </div>
  );
}
