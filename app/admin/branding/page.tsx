import type { Metadata } from "next";
import { getBranding } from "@/lib/portal/branding";
import { getCredentialSettings, MAX_RENEWAL_GRACE_DAYS_LIMIT } from "@/lib/portal/credential-settings";
import { portalContext } from "@/lib/portal/runtime";
import { MAX_LOGO_BYTES } from "@/lib/portal/logo-image";
import { buttonClass, Card, dangerButtonClass, inputClass, PageTitle } from "@/components/ui/basics";
import { FormOutcome } from "@/components/admin/form-outcome";

export const metadata: Metadata = { title: "Branding" };

type Search = Promise<{ status?: string | string[]; error?: string | string[] }>;

export default async function BrandingAdminPage({ searchParams }: { searchParams: Search }) {
  const [branding, credentials, { status, error }] = await Promise.all([getBranding(portalContext()), getCredentialSettings(portalContext()), searchParams]);
  return (
    <div className="space-y-6">
      <PageTitle>Branding</PageTitle>
      <FormOutcome status={status} error={error} />
      <Card title="Organisation and terms">
        <form method="post" action="/admin/branding/settings" className="grid gap-4 md:grid-cols-2" aria-label="Branding">
          <label className="block text-sm font-medium">
            Organisation name
            <input name="organisation" required maxLength={80} defaultValue={branding.organisation} className={inputClass} />
          </label>
          <label className="block text-sm font-medium">
            Tagline (home page)
            <input name="tagline" maxLength={200} defaultValue={branding.tagline} className={inputClass} />
          </label>
          <label className="block text-sm font-medium">
            Primary colour
            <input name="primaryColor" type="color" defaultValue={branding.primaryColor.toLowerCase()} className="mt-1 block h-10 w-20 rounded border border-slate-300" />
          </label>
          <label className="block text-sm font-medium">
            Accent colour
            <input name="accentColor" type="color" defaultValue={branding.accentColor.toLowerCase()} className="mt-1 block h-10 w-20 rounded border border-slate-300" />
          </label>
          <p className="text-sm text-slate-600 md:col-span-2">Buttons and links use the primary colour, darkened where needed so white text on it stays readable.</p>
          <label className="block text-sm font-medium md:col-span-2">
            Terms of use (Markdown; shown at /terms and linked from sign-up; empty: a short default)
            <textarea name="termsMarkdown" rows={12} maxLength={50_000} defaultValue={branding.termsMarkdown} className={`${inputClass} font-mono`} />
          </label>
          <div className="md:col-span-2">
            <button type="submit" className={buttonClass}>
              Save branding
            </button>
          </div>
        </form>
      </Card>
      <Card title="Credentials">
        <form method="post" action="/admin/branding/credentials" className="flex flex-wrap items-end gap-3" aria-label="Credential settings">
          <label className="block text-sm font-medium">
            Longest grace period a developer may give an old credential when renewing it (days, 0 to {MAX_RENEWAL_GRACE_DAYS_LIMIT})
            <input
              name="maxRenewalGraceDays"
              type="number"
              inputMode="numeric"
              min={0}
              max={MAX_RENEWAL_GRACE_DAYS_LIMIT}
              required
              defaultValue={credentials.maxRenewalGraceDays}
              className={`${inputClass} max-w-32`}
            />
          </label>
          <button type="submit" className={buttonClass}>
            Save credential settings
          </button>
        </form>
      </Card>
      <Card title="Logo">
        <div className="space-y-4">
          {branding.logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- the stored logo, as the header shows it
            <img src={branding.logoUrl} alt="Current logo" className="h-16 w-auto max-w-full rounded border border-slate-200 bg-white object-contain p-1" />
          ) : (
            <p className="text-sm text-slate-600">No logo yet: the header shows a square in the primary colour.</p>
          )}
          <form method="post" action="/admin/branding/logo" encType="multipart/form-data" className="flex flex-wrap items-end gap-3" aria-label="Upload logo">
            <label className="block text-sm font-medium">
              Logo file (PNG, JPEG, WebP or SVG, at most {MAX_LOGO_BYTES / 1024} KiB)
              <input name="logo" type="file" required accept="image/png,image/jpeg,image/webp,image/svg+xml" className="mt-1 block w-full max-w-full text-sm" />
            </label>
            <button type="submit" className={buttonClass}>
              Upload logo
            </button>
          </form>
          {branding.logoUrl ? (
            <form method="post" action="/admin/branding/logo" aria-label="Remove logo">
              <input type="hidden" name="remove" value="1" />
              <button type="submit" className={dangerButtonClass}>
                Remove logo
              </button>
            </form>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
