import { View } from "@tarojs/components";
import { useMemo } from "react";
import { encode } from "uqr";

/**
 * A QR code drawn with plain views (no canvas), so it renders the same on weapp and H5. Each row
 * is a run-length list of dark and light stretches: a few hundred views for an invitation code.
 */
export function QrCode({ text, size = 216, id }: { text: string; size?: number; id?: string }) {
  const rows = useMemo(() => {
    const { data } = encode(text, { ecc: "M", border: 2 });
    return data.map((row) => {
      const runs: { dark: boolean; length: number }[] = [];
      for (const dark of row) {
        const last = runs[runs.length - 1];
        if (last && last.dark === dark) last.length++;
        else runs.push({ dark, length: 1 });
      }
      return runs;
    });
  }, [text]);
  const cell = Math.max(2, Math.floor(size / rows.length));
  return (
    <View
      className="qr"
      id={id}
      data-modules={rows.length}
      style={{ width: `${cell * rows.length}px`, background: "#ffffff" }}
    >
      {rows.map((runs, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows never reorder
        <View key={r} style={{ display: "flex", height: `${cell}px` }}>
          {runs.map((run, i) => (
            <View
              // biome-ignore lint/suspicious/noArrayIndexKey: runs never reorder
              key={i}
              className={run.dark ? "qr__dark" : undefined}
              style={{ width: `${cell * run.length}px`, background: run.dark ? "#111111" : "#ffffff" }}
            />
          ))}
        </View>
      ))}
    </View>
  );
}
