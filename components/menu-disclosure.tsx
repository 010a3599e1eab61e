"use client";
// The header's "Menu" below 768px: a native <details> (keyboard and no-script friendly); once
// hydrated it also closes after a navigation, since the header outlives client-side page changes.
import { usePathname } from "next/navigation";
import { useEffect, useRef, type ReactNode } from "react";

export function MenuDisclosure({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  return (
    <details ref={ref} className="group md:hidden">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="text-base leading-none">
          <span className="group-open:hidden">☰</span>
          <span className="hidden group-open:inline">✕</span>
        </span>
        Menu
      </summary>
      <div className="absolute inset-x-0 top-full z-40 border-b border-slate-200 bg-white px-4 py-3 shadow-md sm:px-6">{children}</div>
    </details>
  );
}
