import Link from "next/link";

const FEATURES = [
  {
    title: "Developer portal",
    body: "Developers sign up, sign in through Okta (MFA included), browse the API catalog, register apps and receive their client_id and client_secret.",
  },
  {
    title: "OAuth 2.0 authorization server",
    body: "Authorization code with PKCE, client credentials, refresh-token rotation. Gatehouse issues the tokens; Okta authenticates the people.",
  },
  {
    title: "API gateway",
    body: "Every call passes a policy pipeline — tokens, API keys, scopes, quota, spike arrest, threat protection, bot detection — before it reaches your backend.",
  },
];

export default function HomePage() {
  return (
    <div className="space-y-12">
      <section className="space-y-4">
        <h1 className="text-4xl font-bold tracking-tight text-brand-900">Your APIs, safely in the hands of developers</h1>
        <p className="max-w-3xl text-lg text-slate-600">
          Gatehouse is an open-source developer portal, OAuth 2.0 authorization server and API gateway in one application, with Okta as the identity provider for your users. It
          runs on a laptop with two commands and scales out on PostgreSQL and Redis.
        </p>
        <p className="flex gap-3">
          <Link href="/catalog" className="rounded bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Browse the API catalog
          </Link>
          <Link href="/apps" className="rounded border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50">
            My apps
          </Link>
        </p>
      </section>
      <section aria-label="What Gatehouse does" className="grid gap-6 md:grid-cols-3">
        {FEATURES.map((feature) => (
          <article key={feature.title} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <h2 className="mb-2 text-lg font-semibold text-brand-700">{feature.title}</h2>
            <p className="text-sm leading-6 text-slate-600">{feature.body}</p>
          </article>
        ))}
      </section>
    </div>
  );
}
