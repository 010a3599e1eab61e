import Link from "next/link";
import { currentBranding } from "./portal/current-branding";

/** The header's link home: the organisation's logo (or a plain mark in the brand colour) and name. */
export async function BrandMark() {
  const branding = await currentBranding();
  return (
    <Link href="/" className="flex min-w-0 items-center gap-2 text-lg font-semibold text-brand-900" data-testid="brand-mark">
      {branding.logoUrl ? (
        // eslint-disable-next-line @next/next/no-img-element -- served by Gatehouse itself, any size; next/image adds nothing here
        <img src={branding.logoUrl} alt="" className="h-7 w-auto max-w-24 shrink-0 object-contain" />
      ) : (
        <span aria-hidden className="inline-block h-6 w-6 shrink-0 rounded bg-brand-600" />
      )}
      <span className="truncate">{branding.organisation}</span>
    </Link>
  );
}
