// The first call of an app, as code to copy: get a token at /oauth/token, then call one of its
// APIs through /gateway. Confidential apps use client credentials; public apps (no secret) the
// authorization code grant with PKCE, the only grants Gatehouse gives them. The secret is never
// in a snippet: it is read from an environment variable.

export const SECRET_VARIABLE = "GATEHOUSE_CLIENT_SECRET";

export type SnippetLanguage = "curl" | "typescript" | "fetch" | "python";

export interface FirstCallApp {
  clientId: string;
  type: "confidential" | "public";
  redirectUris: string[];
}

export interface FirstCallProxy {
  basePath: string;
  version: string;
  openApiSpec: string | null;
}

export interface FirstCallProduct {
  name: string;
  status: "approved" | "pending";
  scopes: string[];
  proxies: FirstCallProxy[];
}

export interface Snippet {
  language: SnippetLanguage;
  label: string;
  code: string;
}

export interface FirstCallPlan {
  clientId: string;
  appType: FirstCallApp["type"];
  tokenUrl: string;
  authorizeUrl: string;
  /** The URL the snippets call; null when no product of the app has an API yet. */
  callUrl: string | null;
  /** Space-separated scopes of the approved products (pending ones cannot be granted yet). */
  scope: string;
  /** Products still waiting for an admin's approval. */
  pending: string[];
  /** Whether the call can succeed now: an approved product with an API. */
  ready: boolean;
  /** Gateway base URLs of every API the app is subscribed to. */
  apis: Array<{ product: string; url: string; status: FirstCallProduct["status"] }>;
  redirectUri: string | null;
  snippets: Snippet[];
}

/** POSIX single quoting: safe for any value, whatever it contains. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript or Python string literal (JSON's escaping is valid in both). */
const literal = (value: string) => JSON.stringify(value);

export function gatewayBaseUrl(publicUrl: string, proxy: Pick<FirstCallProxy, "basePath" | "version">): string {
  return `${publicUrl.replace(/\/+$/, "")}/gateway/${proxy.basePath}/${proxy.version}`;
}

/**
 * A path worth calling first: the OpenAPI document's first GET path without path parameters
 * (or whose parameters all have examples), else the API's root.
 */
export function firstCallPath(openApiSpec: string | null): string {
  if (!openApiSpec) return "/";
  let spec: unknown;
  try {
    spec = JSON.parse(openApiSpec);
  } catch {
    return "/"; // YAML: not worth a parser here
  }
  const paths = (spec as { paths?: Record<string, unknown> } | null)?.paths;
  if (!paths || typeof paths !== "object") return "/";
  for (const [path, item] of Object.entries(paths)) {
    const get = (item as { get?: { parameters?: unknown[] } } | null)?.get;
    if (!get || !path.startsWith("/")) continue;
    const filled = path.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const example = exampleOf([...((item as { parameters?: unknown[] }).parameters ?? []), ...(get.parameters ?? [])], name);
      return example === null ? whole : encodeURIComponent(example);
    });
    if (!filled.includes("{")) return filled;
  }
  return "/";
}

function exampleOf(parameters: unknown[], name: string): string | null {
  for (const p of parameters) {
    const param = p as { name?: unknown; in?: unknown; example?: unknown; schema?: { example?: unknown } } | null;
    if (param?.name !== name || param.in !== "path") continue;
    const example = param.example ?? param.schema?.example;
    if (typeof example === "string" || typeof example === "number") return String(example);
  }
  return null;
}

export function firstCallPlan(publicUrl: string, app: FirstCallApp, products: FirstCallProduct[]): FirstCallPlan {
  const base = publicUrl.replace(/\/+$/, "");
  const approved = products.filter((p) => p.status === "approved");
  const withApi = (list: FirstCallProduct[]) => list.find((p) => p.proxies.length > 0);
  const target = withApi(approved) ?? withApi(products);
  const proxy = target?.proxies[0];
  const callUrl = proxy ? gatewayBaseUrl(base, proxy) + firstCallPath(proxy.openApiSpec) : null;
  const scope = [...new Set(approved.flatMap((p) => p.scopes))].join(" ");
  const redirectUri = app.redirectUris[0] ?? null;
  const plan = {
    clientId: app.clientId,
    appType: app.type,
    tokenUrl: `${base}/oauth/token`,
    authorizeUrl: `${base}/oauth/authorize`,
    callUrl,
    scope,
    pending: products.filter((p) => p.status === "pending").map((p) => p.name),
    ready: Boolean(target && target.status === "approved"),
    apis: products.flatMap((p) => p.proxies.map((x) => ({ product: p.name, url: gatewayBaseUrl(base, x), status: p.status }))),
    redirectUri,
  };
  const input: SnippetInput = {
    issuer: base,
    clientId: app.clientId,
    tokenUrl: plan.tokenUrl,
    authorizeUrl: plan.authorizeUrl,
    callUrl: callUrl ?? `${base}/gateway/…`,
    scope,
    redirectUri,
  };
  const snippets: Snippet[] =
    app.type === "public"
      ? [
          { language: "curl", label: "curl", code: curlPkce(input) },
          { language: "typescript", label: "TypeScript SDK", code: sdkPkce(input) },
          { language: "fetch", label: "Node fetch", code: fetchPkce(input) },
          { language: "python", label: "Python", code: pythonPkce(input) },
        ]
      : [
          { language: "curl", label: "curl", code: curlClientCredentials(input) },
          { language: "typescript", label: "TypeScript SDK", code: sdkClientCredentials(input) },
          { language: "fetch", label: "Node fetch", code: fetchClientCredentials(input) },
          { language: "python", label: "Python", code: pythonClientCredentials(input) },
        ];
  return { ...plan, snippets };
}

interface SnippetInput {
  issuer: string;
  clientId: string;
  tokenUrl: string;
  authorizeUrl: string;
  callUrl: string;
  scope: string;
  redirectUri: string | null;
}

// The token response is JSON; sed keeps the snippet free of jq (not installed everywhere).
const ACCESS_TOKEN_SED = `sed -n 's/.*"access_token" *: *"\\([^"]*\\)".*/\\1/p'`;

function curlClientCredentials(s: SnippetInput): string {
  return [
    `# 1. Your credentials: export ${SECRET_VARIABLE}=… (the secret shown once) before running this.`,
    `: "\${${SECRET_VARIABLE}:?export ${SECRET_VARIABLE} first (your client secret)}"`,
    `GATEHOUSE_CLIENT_ID=${shellQuote(s.clientId)}`,
    ``,
    `# 2. Get a token (client credentials).`,
    `TOKEN=$(curl -sS -u "$GATEHOUSE_CLIENT_ID:$${SECRET_VARIABLE}" \\`,
    `  -d grant_type=client_credentials \\`,
    ...(s.scope ? [`  --data-urlencode ${shellQuote(`scope=${s.scope}`)} \\`] : []),
    `  ${shellQuote(s.tokenUrl)} | ${ACCESS_TOKEN_SED})`,
    ``,
    `# 3. Call the API through the gateway.`,
    `curl -sS -i -H "Authorization: Bearer $TOKEN" ${shellQuote(s.callUrl)}`,
    ``,
  ].join("\n");
}

function curlPkce(s: SnippetInput): string {
  const query = new URLSearchParams({ response_type: "code", client_id: s.clientId, redirect_uri: s.redirectUri ?? "", ...(s.scope ? { scope: s.scope } : {}) });
  return [
    `# 1. Your credentials: a public app has no secret; it proves each request with PKCE.`,
    `GATEHOUSE_CLIENT_ID=${shellQuote(s.clientId)}`,
    `REDIRECT_URI=${shellQuote(s.redirectUri ?? "")}`,
    `CODE_VERIFIER=$(openssl rand -base64 48 | tr -d '\\n=' | tr '+/' '-_')`,
    `CODE_CHALLENGE=$(printf '%s' "$CODE_VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr -d '=' | tr '+/' '-_')`,
    `STATE=$(openssl rand -hex 16)`,
    ``,
    `# 2. Get a token: sign in in a browser, then paste the code from the redirect.`,
    `echo 'Open this URL in a browser:'`,
    `echo ${shellQuote(`${s.authorizeUrl}?${query.toString()}`)}"&state=$STATE&code_challenge=$CODE_CHALLENGE&code_challenge_method=S256"`,
    `printf 'The code parameter of the URL you were sent to: '`,
    `read -r CODE`,
    `TOKEN=$(curl -sS -d grant_type=authorization_code \\`,
    `  --data-urlencode "code=$CODE" \\`,
    `  --data-urlencode "redirect_uri=$REDIRECT_URI" \\`,
    `  --data-urlencode "client_id=$GATEHOUSE_CLIENT_ID" \\`,
    `  --data-urlencode "code_verifier=$CODE_VERIFIER" \\`,
    `  ${shellQuote(s.tokenUrl)} | ${ACCESS_TOKEN_SED})`,
    ``,
    `# 3. Call the API through the gateway.`,
    `curl -sS -i -H "Authorization: Bearer $TOKEN" ${shellQuote(s.callUrl)}`,
    ``,
  ].join("\n");
}

function sdkClientCredentials(s: SnippetInput): string {
  return [
    `// npm install @gatehouse/sdk — 1. Your credentials: the secret comes from the environment.`,
    `import { GatehouseClient, MemoryTokenStore, TokenSession } from "@gatehouse/sdk";`,
    ``,
    `const client = new GatehouseClient({`,
    `  issuer: ${literal(s.issuer)},`,
    `  clientId: ${literal(s.clientId)},`,
    `  clientSecret: process.env.${SECRET_VARIABLE},`,
    `});`,
    `// 2. Get a token (client credentials), renewed shortly before it expires.`,
    `const session = new TokenSession({`,
    `  client,`,
    `  store: new MemoryTokenStore(),`,
    `  name: "gatehouse",`,
    `  obtain: () => client.clientCredentials(${s.scope ? literal(s.scope) : ""}),`,
    `});`,
    ``,
    `// 3. Call the API through the gateway (Authorization: Bearer is added for you).`,
    `const res = await session.fetch(${literal(s.callUrl)});`,
    `console.log(res.status, await res.text());`,
    ``,
  ].join("\n");
}

function sdkPkce(s: SnippetInput): string {
  return [
    `// npm install @gatehouse/sdk — in the browser. 1. Your credentials: a public app has only its client_id.`,
    `import { beginAuthorization, completeAuthorization, GatehouseClient } from "@gatehouse/sdk";`,
    ``,
    `const client = new GatehouseClient({ issuer: ${literal(s.issuer)}, clientId: ${literal(s.clientId)} });`,
    `const redirectUri = ${literal(s.redirectUri ?? "")};`,
    ``,
    `// 2. Get a token: authorization code + PKCE. Send the user to sign in…`,
    `if (!location.search.includes("code=")) {`,
    `  location.assign(await beginAuthorization(client, { redirectUri${s.scope ? `, scope: ${literal(s.scope)}` : ""} }));`,
    `} else {`,
    `  // …and on the redirect URI's page, redeem the code.`,
    `  const tokens = await completeAuthorization(client, location.href);`,
    ``,
    `  // 3. Call the API through the gateway.`,
    `  const res = await fetch(${literal(s.callUrl)}, { headers: { authorization: \`Bearer \${tokens.accessToken}\` } });`,
    `  console.log(res.status, await res.text());`,
    `}`,
    ``,
  ].join("\n");
}

function fetchClientCredentials(s: SnippetInput): string {
  return [
    `// Node 20+, no dependencies. 1. Your credentials: the secret comes from the environment.`,
    `const clientId = ${literal(s.clientId)};`,
    `const clientSecret = process.env.${SECRET_VARIABLE};`,
    ``,
    `// 2. Get a token (client credentials).`,
    `const tokenRes = await fetch(${literal(s.tokenUrl)}, {`,
    `  method: "POST",`,
    `  headers: { authorization: \`Basic \${Buffer.from(\`\${clientId}:\${clientSecret}\`).toString("base64")}\` },`,
    `  body: new URLSearchParams({ grant_type: "client_credentials"${s.scope ? `, scope: ${literal(s.scope)}` : ""} }),`,
    `});`,
    `const { access_token } = await tokenRes.json();`,
    ``,
    `// 3. Call the API through the gateway.`,
    `const res = await fetch(${literal(s.callUrl)}, { headers: { authorization: \`Bearer \${access_token}\` } });`,
    `console.log(res.status, await res.text());`,
    ``,
  ].join("\n");
}

function fetchPkce(s: SnippetInput): string {
  return [
    `// Node 20+, no dependencies. 1. Your credentials: a public app has only its client_id.`,
    `import { createHash, randomBytes } from "node:crypto";`,
    `import { createInterface } from "node:readline/promises";`,
    ``,
    `const clientId = ${literal(s.clientId)};`,
    `const redirectUri = ${literal(s.redirectUri ?? "")};`,
    `const verifier = randomBytes(32).toString("base64url");`,
    `const challenge = createHash("sha256").update(verifier).digest("base64url");`,
    ``,
    `// 2. Get a token: authorization code + PKCE.`,
    `const authorize = new URL(${literal(s.authorizeUrl)});`,
    `authorize.search = new URLSearchParams({`,
    `  response_type: "code", client_id: clientId, redirect_uri: redirectUri,${s.scope ? ` scope: ${literal(s.scope)},` : ""}`,
    `  state: randomBytes(16).toString("hex"), code_challenge: challenge, code_challenge_method: "S256",`,
    `}).toString();`,
    `console.log("Open this URL in a browser:", authorize.href);`,
    `const rl = createInterface({ input: process.stdin, output: process.stdout });`,
    `const code = (await rl.question("The code parameter of the URL you were sent to: ")).trim();`,
    `rl.close();`,
    `const tokenRes = await fetch(${literal(s.tokenUrl)}, {`,
    `  method: "POST",`,
    `  body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier }),`,
    `});`,
    `const { access_token } = await tokenRes.json();`,
    ``,
    `// 3. Call the API through the gateway.`,
    `const res = await fetch(${literal(s.callUrl)}, { headers: { authorization: \`Bearer \${access_token}\` } });`,
    `console.log(res.status, await res.text());`,
    ``,
  ].join("\n");
}

function pythonClientCredentials(s: SnippetInput): string {
  return [
    `# pip install requests — 1. Your credentials: the secret comes from the environment.`,
    `import os`,
    `import requests`,
    ``,
    `client_id = ${literal(s.clientId)}`,
    `client_secret = os.environ[${literal(SECRET_VARIABLE)}]`,
    ``,
    `# 2. Get a token (client credentials).`,
    `token = requests.post(`,
    `    ${literal(s.tokenUrl)},`,
    `    auth=(client_id, client_secret),`,
    `    data={"grant_type": "client_credentials"${s.scope ? `, "scope": ${literal(s.scope)}` : ""}},`,
    `).json()["access_token"]`,
    ``,
    `# 3. Call the API through the gateway.`,
    `res = requests.get(${literal(s.callUrl)}, headers={"Authorization": f"Bearer {token}"})`,
    `print(res.status_code, res.text)`,
    ``,
  ].join("\n");
}

function pythonPkce(s: SnippetInput): string {
  return [
    `# pip install requests — 1. Your credentials: a public app has only its client_id.`,
    `import base64, hashlib, secrets`,
    `from urllib.parse import urlencode`,
    `import requests`,
    ``,
    `client_id = ${literal(s.clientId)}`,
    `redirect_uri = ${literal(s.redirectUri ?? "")}`,
    `verifier = secrets.token_urlsafe(32)`,
    `challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()`,
    ``,
    `# 2. Get a token: authorization code + PKCE.`,
    `print("Open this URL in a browser:", ${literal(s.authorizeUrl)} + "?" + urlencode({`,
    `    "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,${s.scope ? ` "scope": ${literal(s.scope)},` : ""}`,
    `    "state": secrets.token_hex(16), "code_challenge": challenge, "code_challenge_method": "S256",`,
    `}))`,
    `code = input("The code parameter of the URL you were sent to: ").strip()`,
    `token = requests.post(${literal(s.tokenUrl)}, data={`,
    `    "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,`,
    `    "client_id": client_id, "code_verifier": verifier,`,
    `}).json()["access_token"]`,
    ``,
    `# 3. Call the API through the gateway.`,
    `res = requests.get(${literal(s.callUrl)}, headers={"Authorization": f"Bearer {token}"})`,
    `print(res.status_code, res.text)`,
    ``,
  ].join("\n");
}
