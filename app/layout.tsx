import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { SiteFooter } from "@/components/site-footer";
import { SiteHeader } from "@/components/site-header";
import { currentBranding } from "@/components/portal/current-branding";
import { brandStylesheet } from "@/lib/portal/brand-palette";
import { DEFAULT_BRANDING } from "@/lib/portal/branding";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const branding = await currentBranding();
  const version = branding.updatedAt ? `?v=${new Date(branding.updatedAt).getTime()}` : "";
  return {
    title: { default: `${branding.organisation} developer portal`, template: `%s · ${branding.organisation}` },
    description: branding.tagline || `APIs of ${branding.organisation}: browse the catalog, register an app and make your first call.`,
    icons: { icon: `/branding/icon${version}` },
  };
}

// Every page carries a per-request CSP nonce (set by server.ts), so pages render per request.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const branding = await currentBranding();
  // Unlayered, after globals.css: the organisation's colour wins over the theme, in light and dark.
  const brandColours = brandStylesheet(branding.primaryColor, DEFAULT_BRANDING.primaryColor);
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        {brandColours ? <style>{brandColours}</style> : null}
        <Providers>
          <SiteHeader />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:px-6 sm:py-10">
            {children}
          </main>
          <SiteFooter />
        </Providers>
      </body>
    </html>
  );
}
