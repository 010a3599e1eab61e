// Ready-made policy steps the proxy form offers under its chain editor: the traffic-shaping
// policies whose configs have the most fields, each a working example to adjust.
export interface PolicyExample {
  label: string;
  step: { policy: string; config: Record<string, unknown> };
}

export const POLICY_EXAMPLES: PolicyExample[] = [
  {
    label: "Response cache (shared, 5 min default, only ?page and ?q in the key)",
    step: { policy: "response-cache", config: { ttlSeconds: 300, maxTtlSeconds: 3600, keyQuery: ["page", "q"], keyHeaders: ["accept-language"], perApp: false } },
  },
  {
    label: "Response cache per app (private answers allowed)",
    step: { policy: "response-cache", config: { ttlSeconds: 60, perApp: true } },
  },
  {
    label: "Transform (rename a header, rewrite /users/{id}, add the app id to the JSON body)",
    step: {
      policy: "transform",
      config: {
        request: {
          headers: { rename: { "x-legacy-user": "x-user" }, set: { "x-client": { fromIdentity: "clientId" } } },
          query: { remove: ["debug"] },
          path: { from: "^/users/([^/]+)$", to: "/v2/people/$1" },
          body: { set: { "meta.appId": { fromIdentity: "appId" }, "meta.source": { value: "gateway" } }, remove: ["internal"] },
        },
        response: { headers: { remove: ["x-powered-by"] }, body: { remove: ["debug"] } },
      },
    },
  },
];

/** The chain text with `step` appended; the text unchanged when it is not a JSON list. */
export function withStep(chainText: string, step: PolicyExample["step"]): string {
  try {
    const chain = JSON.parse(chainText || "[]") as unknown;
    if (!Array.isArray(chain)) return chainText;
    return JSON.stringify([...chain.filter((s: { policy?: unknown }) => s?.policy !== step.policy), step], null, 2);
  } catch {
    return chainText;
  }
}
