/**
 * The one module that talks HTTP (Taro.request; `downloadFile` for report files). Pages call the
 * typed service modules built on it, never Taro.request directly.
 *
 * - Base URL: API_BASE_URL, fixed at build time ("" on H5 = same origin `/v1/...`).
 * - Sends JSON with `Authorization: Bearer <token>` when a token is stored.
 * - 401: clears the session and sends the user to the login page.
 * - Other errors: a Chinese toast with the server's `error.message`, then throws ApiError.
 */
import Taro from "@tarojs/taro";
import { PAGES } from "./routes";
import { clearSession, getToken } from "./session";

export interface ApiErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestOptions {
  method?: HttpMethod;
  /** API path starting with `/v1/`. */
  path: string;
  data?: unknown;
  query?: Record<string, string | number | undefined>;
  header?: Record<string, string>;
  /** Do not show the error toast (the caller shows the error itself). */
  silent?: boolean;
  /** A 401 is an answer, not an expired session (login endpoints): no redirect, no session clearing. */
  anonymous?: boolean;
}

/** Resolved at call time so tests (and a future runtime switch) can change it. */
export function apiBaseUrl(): string {
  return typeof API_BASE_URL === "string" ? API_BASE_URL : "";
}

export function buildUrl(path: string, query?: RequestOptions["query"]): string {
  const params = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== "")
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return `${apiBaseUrl()}${path}${params.length ? `?${params.join("&")}` : ""}`;
}

function parseErrorBody(status: number, body: unknown): ApiError {
  let parsed = body;
  if (typeof parsed === "string") {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      parsed = null;
    }
  }
  const error =
    parsed && typeof parsed === "object" && "error" in parsed
      ? (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } }).error
      : undefined;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const message =
    typeof error?.message === "string" && error.message ? error.message : defaultMessage(status);
  const details = Array.isArray(error?.details)
    ? (error.details as unknown[]).filter(
        (d): d is ApiErrorDetail =>
          !!d && typeof d === "object" && typeof (d as ApiErrorDetail).path === "string",
      )
    : [];
  return new ApiError(status, code, message, details);
}

function defaultMessage(status: number): string {
  if (status === 401) return "登录已失效，请重新登录";
  if (status === 403) return "没有权限执行此操作";
  if (status === 404) return "请求的内容不存在";
  if (status === 413) return "提交的内容过大";
  if (status === 429) return "操作太频繁，请稍后再试";
  if (status >= 500) return "服务暂时不可用，请稍后再试";
  return `请求失败（${status}）`;
}

function toast(message: string): void {
  // icon "none" allows two lines of text; the error icons cut Chinese text at 7 characters.
  void Taro.showToast({ title: message, icon: "none", duration: 2500 }).catch(() => undefined);
}

let redirectingToLogin = false;

function currentRoute(): string {
  try {
    const pages = Taro.getCurrentPages();
    return pages[pages.length - 1]?.route ?? "";
  } catch {
    return "";
  }
}

/** Clears the session and opens the login page (once, however many requests fail together). */
export function handleUnauthorized(): void {
  clearSession();
  if (redirectingToLogin || currentRoute().includes("pages/login/")) return;
  redirectingToLogin = true;
  void Taro.reLaunch({ url: PAGES.login })
    .catch(() => undefined)
    .finally(() => {
      redirectingToLogin = false;
    });
}

export async function request<T>(options: RequestOptions): Promise<T> {
  const { method = "GET", path, data, query, silent = false, anonymous = false } = options;
  const header: Record<string, string> = { "Content-Type": "application/json", ...options.header };
  const token = getToken();
  if (token && !anonymous) header.Authorization = `Bearer ${token}`;

  // The body is checked below (status first); JSON bodies are objects, error pages may be strings.
  type Body = string | Record<string, unknown> | ArrayBuffer;
  let response: Taro.request.SuccessCallbackResult<Body>;
  try {
    response = await Taro.request<Body>({
      url: buildUrl(path, query),
      method,
      data: data === undefined ? undefined : (data as Taro.request.Option["data"]),
      header,
      dataType: "json",
      timeout: 20000,
    });
  } catch {
    const error = new ApiError(0, "NETWORK_ERROR", "网络连接失败，请检查网络后重试");
    if (!silent) toast(error.message);
    throw error;
  }

  const status = response.statusCode;
  if (status >= 200 && status < 300) {
    return (status === 204 ? undefined : response.data) as T;
  }

  const error = parseErrorBody(status, response.data);
  if (status === 401 && !anonymous) {
    toast("登录已失效，请重新登录");
    handleUnauthorized();
    throw error;
  }
  if (!silent) toast(error.message);
  throw error;
}

/** Maps a 400's `details[].path` onto form field names ("body.idNumber" → "idNumber"). */
export function fieldErrorsFrom<F extends string>(
  error: unknown,
  fields: readonly F[],
): { fields: Partial<Record<F, string>>; other: string[] } {
  const result: { fields: Partial<Record<F, string>>; other: string[] } = { fields: {}, other: [] };
  if (!(error instanceof ApiError)) return result;
  for (const detail of error.details) {
    const segments = detail.path.split(/[.[\]]/).filter(Boolean);
    const field = fields.find((f) => segments.includes(f));
    if (field && !result.fields[field]) result.fields[field] = detail.message;
    else if (!field) result.other.push(detail.message);
  }
  return result;
}

export interface DownloadOptions {
  path: string;
  query?: RequestOptions["query"];
  /** The name the saved file gets (H5). */
  fileName: string;
}

/**
 * Downloads a file answer of the API (the monthly report) with the Authorization header, which a
 * plain link cannot send. H5: fetched as a blob and saved through a temporary link. WeChat:
 * Taro.downloadFile, then opened with the system viewer (openDocument: xlsx, not csv).
 */
export async function downloadFile(options: DownloadOptions): Promise<void> {
  const url = buildUrl(options.path, options.query);
  const token = getToken();
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (process.env.TARO_ENV === "h5") {
    let response: Response;
    try {
      response = await fetch(url, { headers: header });
    } catch {
      throw new ApiError(0, "NETWORK_ERROR", "网络连接失败，请检查网络后重试");
    }
    if (!response.ok) {
      const error = parseErrorBody(response.status, await response.text().catch(() => ""));
      if (response.status === 401) handleUnauthorized();
      throw error;
    }
    const blob = await response.blob();
    const href = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = href;
    link.download = options.fileName;
    link.rel = "noopener";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 30_000);
    return;
  }
  let result: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    result = await Taro.downloadFile({ url, header });
  } catch {
    throw new ApiError(0, "NETWORK_ERROR", "网络连接失败，请检查网络后重试");
  }
  if (result.statusCode < 200 || result.statusCode >= 300) {
    if (result.statusCode === 401) handleUnauthorized();
    throw new ApiError(result.statusCode, `HTTP_${result.statusCode}`, defaultMessage(result.statusCode));
  }
  const fileType = options.fileName.split(".").pop() ?? "xlsx";
  await Taro.openDocument({
    filePath: result.tempFilePath,
    fileType: fileType as "xlsx",
    showMenu: true,
  });
}
