"use client";
// A list's search box: what is typed is only a draft until "Search" hands it to `onSearch`, so
// the list is not fetched again on every key. `children` are further filters beside the box.
import { useState, type ReactNode } from "react";
import { inputClass, secondaryButtonClass } from "./basics";
import { submitInPage } from "./submit-in-page";

export function SearchForm({ label, onSearch, children }: { label: string; onSearch: (q: string) => void; children?: ReactNode }) {
  const [draft, setDraft] = useState("");
  return (
    <form className="flex items-end gap-2" role="search" onSubmit={submitInPage(() => onSearch(draft))}>
      <label className="flex-1 text-sm">
        {label}
        <input className={inputClass} value={draft} onChange={(e) => setDraft(e.target.value)} />
      </label>
      {children}
      <button type="submit" className={secondaryButtonClass}>
        Search
      </button>
    </form>
  );
}
