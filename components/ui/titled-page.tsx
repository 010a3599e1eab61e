// The route file of a page that is only a title, perhaps a "New …" button, and one component
// under them: the page and its <title> come from the same words, so they cannot drift apart.
import type { Metadata } from "next";
import Link from "next/link";
import type { ComponentType, ReactNode } from "react";
import { buttonClass, TitledPage } from "./basics";

/** The page's main action: a link to the form that creates one more of what it lists. */
export function NewLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className={buttonClass}>
      {children}
    </Link>
  );
}

export function titledPage(title: string, Body: ComponentType, newItem?: { href: string; label: string }) {
  const metadata: Metadata = { title };
  function Page() {
    return (
      <TitledPage title={title} actions={newItem ? <NewLink href={newItem.href}>{newItem.label}</NewLink> : undefined}>
        <Body />
      </TitledPage>
    );
  }
  return { metadata, Page };
}
