"use client";
// A list's search box: what is typed is only a draft until "Search" hands it to `onSearch`, so
// the list is not fetched again on every key. `children` are further filters beside the box.
// Before JavaScript loads it is a plain GET of the page with `?q=` (pages that render their
// first page on the server read it).
import { useState, type ReactNode } from "react";
import { inputClass, secondaryButtonClass } from "./basics";
import { submitInPage } from "./submit-in-page";

export function SearchForm({ label, onSearch, initial = "", children }: { label: string; onSearch: (q: string) => void; initial?: string; children?: ReactNode }) {
  const [draft, setDraft] = useState(initial);
  return (
    <form className="flex items-end gap-2" role="search" onSubmit={submitInPage(() => onSearch(draft))}>
      <label className="flex-1 text-sm">
        {label}
        <input name="q" className={inputClass} value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      {children}
      <button type="submit" className={secondaryButtonClass}>
        Search
      </button>
    </form>
  );
}
