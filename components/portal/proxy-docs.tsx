"use client";
// A proxy's OpenAPI document rendered by Swagger UI (bundled, nothing from a CDN; its base
// layout has no online-validator badge, the one part that would load an external image).
// "Try it out" calls the gateway on this server whatever servers the document names, with a
// token from Gatehouse: OAuth 2.0 (client credentials, or authorization code + PKCE through a
// popup that comes back to /docs/oauth2-redirect) or a bearer token pasted under Authorize.
import dynamic from "next/dynamic";
import { useMemo } from "react";
import "swagger-ui-react/swagger-ui.css";

const SwaggerUI = dynamic(() => import("swagger-ui-react"), { ssr: false, loading: () => <p className="text-sm text-slate-500">Loading the API reference…</p> });

type Spec = Record<string, unknown> & { components?: Record<string, unknown>; security?: unknown };

export interface TryItOAuth {
  /** This server's public URL (the issuer). */
  publicUrl: string;
  /** The product's scopes → what each allows. */
  scopes: Record<string, string>;
  /** Prefilled in the Authorize dialog: the viewer's app subscribed to this product, if any. */
  clientId: string | null;
  redirectUrl: string;
}

export function gatewaySpec(raw: string, gatewayPath: string, oauth: Pick<TryItOAuth, "publicUrl" | "scopes">): Spec | null {
  let spec: Spec;
  try {
    spec = JSON.parse(raw) as Spec;
  } catch {
    return null; // YAML or broken: shown as text below
  }
  if (!spec || typeof spec !== "object") return null;
  const base = oauth.publicUrl.replace(/\/+$/, "");
  const tokenUrl = `${base}/oauth/token`;
  const components = (spec.components ?? {}) as { securitySchemes?: Record<string, unknown> };
  const schemes = components.securitySchemes ?? {};
  return {
    ...spec,
    // Turbopack mis-bundles swagger-client's ApiDOM resolver for OpenAPI 3.1 ("refract is not a
    // function": operations never expand); its 3.0 resolver reads 3.1 documents well enough.
    ...(typeof spec.openapi === "string" && spec.openapi.startsWith("3.1") ? { openapi: "3.0.3" } : {}),
    // whatever the document says, calls from here go through this gateway
    servers: [{ url: `${base}${gatewayPath}`, description: "Gatehouse gateway" }],
    components: {
      ...components,
      securitySchemes: {
        ...schemes,
        gatehouse_oauth: {
          type: "oauth2",
          description: "A token from Gatehouse for one of your apps subscribed to this product.",
          flows: {
            clientCredentials: { tokenUrl, scopes: oauth.scopes },
            authorizationCode: { authorizationUrl: `${base}/oauth/authorize`, tokenUrl, scopes: oauth.scopes },
          },
        },
        gatehouse: { type: "http", scheme: "bearer", description: "An access token of one of your apps" },
      },
    },
    security: spec.security ?? [{ gatehouse_oauth: Object.keys(oauth.scopes) }, { gatehouse: [] }],
  };
}

interface SwaggerSystem {
  initOAuth: (options: Record<string, unknown>) => void;
}

export function ProxyDocs({ spec, gatewayPath, oauth }: { spec: string | null; gatewayPath: string; oauth: TryItOAuth }) {
  const { publicUrl, scopes, clientId, redirectUrl } = oauth;
  const parsed = useMemo(() => (spec ? gatewaySpec(spec, gatewayPath, { publicUrl, scopes }) : null), [spec, gatewayPath, publicUrl, scopes]);
  if (!spec) return <p className="text-sm text-slate-500">This API has no OpenAPI document yet.</p>;
  if (!parsed)
    return (
      <pre tabIndex={0} className="max-h-96 overflow-auto rounded bg-slate-100 p-3 text-xs">
        {spec}
      </pre>
    );
  return (
    <div data-testid="openapi-reference" className="swagger-host">
      <SwaggerUI
        spec={parsed}
        tryItOutEnabled={false}
        deepLinking={false}
        oauth2RedirectUrl={redirectUrl}
        onComplete={(system: SwaggerSystem) =>
          system.initOAuth({
            usePkceWithAuthorizationCodeGrant: true,
            scopes: Object.keys(scopes),
            ...(clientId ? { clientId } : {}),
          })
        }
      />
    </div>
  );
}
