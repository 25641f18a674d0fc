/**
 * Names and call groups the runtime adds at run time to the rewriter's tables: the labels of `nn`'s weights
 * (`L0.N1.w2`) and the call groups of its modules (`MLP(…)`), whose number depends on sizes the rewriter
 * cannot see. Part of the sandbox runtime (runs inside the vm context). Each entry's index follows the
 * rewriter's own entries; `json()` hands them back with the result, and the sandbox process appends them.
 * The strings are the runtime's own (no text of the snippet's), and the tables are null-prototype objects,
 * so that a snippet's setters on `Array.prototype` or `Object.prototype` never run here.
 */
import { jsonStringify } from './sandboxIntrinsics.ts';

const create = Object.create;

export function createAddedTables(rewriterCounts: () => { readonly labels: number; readonly groupSites: number }) {
  const labelIndex = create(null) as Record<string, number>;
  const labels = create(null) as Record<number, string>;
  let labelCount = 0;
  const groupIndex = create(null) as Record<string, number>;
  const groupText = create(null) as Record<number, string>;
  let groupCount = 0;

  return {
    /** The label index of `text`, added once. */
    label(text: string): number {
      const known = labelIndex[text];
      if (known !== undefined) return known;
      labels[labelCount] = text;
      const index = rewriterCounts().labels + labelCount++;
      labelIndex[text] = index;
      return index;
    },
    /** The group site of a call of `name` made at `site`, added once per pair. */
    callGroup(name: string, site: number): number {
      const key = `${name}@${site}`;
      const known = groupIndex[key];
      if (known !== undefined) return known;
      groupText[groupCount] = `{"kind":"call","name":${jsonStringify(name)},"site":${site}}`;
      const index = rewriterCounts().groupSites + groupCount++;
      groupIndex[key] = index;
      return index;
    },
    /** `,"addedLabels":[…],"addedGroupSites":[…]`, for the end of the result's JSON (empty when nothing was added). */
    json: (): string => {
      if (labelCount === 0 && groupCount === 0) return '';
      let labelList = '';
      for (let k = 0; k < labelCount; k++) labelList += `${k > 0 ? ',' : ''}${jsonStringify(labels[k])}`;
      let groupList = '';
      for (let k = 0; k < groupCount; k++) groupList += `${k > 0 ? ',' : ''}${groupText[k]}`;
      return `,"addedLabels":[${labelList}],"addedGroupSites":[${groupList}]`;
    },
  };
}

export type AddedTables = ReturnType<typeof createAddedTables>;
