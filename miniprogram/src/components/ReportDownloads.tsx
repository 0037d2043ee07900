import { View } from "@tarojs/components";
import Taro from "@tarojs/taro";
import { useState } from "react";
import { errorMessage } from "../lib/use-async";
import { downloadFile } from "../services/request";
import { Button } from "./ui";

const IS_H5 = process.env.TARO_ENV === "h5";

type Format = "csv" | "xlsx";

/** The monthly report's downloads (Excel everywhere, CSV in the browser); `pathFor` null while loading. */
export function ReportDownloads({
  idPrefix,
  pathFor,
}: {
  idPrefix: string;
  pathFor: ((format: Format) => Parameters<typeof downloadFile>[0]) | null;
}) {
  const [downloading, setDownloading] = useState<Format | null>(null);
  const download = async (format: Format) => {
    if (!pathFor || downloading) return;
    setDownloading(format);
    try {
      await downloadFile(pathFor(format));
      void Taro.showToast({ title: "月报已下载", icon: "none" }).catch(() => undefined);
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: "none" }).catch(() => undefined);
    } finally {
      setDownloading(null);
    }
  };
  return (
    <View className="actions actions--row">
      <Button
        type="primary"
        id={`${idPrefix}-download-xlsx`}
        loading={downloading === "xlsx"}
        onClick={() => void download("xlsx")}
      >
        下载 Excel
      </Button>
      {IS_H5 ? (
        <Button
          fill="outline"
          id={`${idPrefix}-download-csv`}
          loading={downloading === "csv"}
          onClick={() => void download("csv")}
        >
          下载 CSV
        </Button>
      ) : null}
    </View>
  );
}
