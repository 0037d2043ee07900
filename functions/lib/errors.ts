/** An error that becomes a 4xx with the shared error shape; anything else is a generic 500. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const badRequest = (message: string, details?: { path: string; message: string }[]) =>
  new ApiError(400, "VALIDATION_FAILED", message, details);
export const fieldError = (path: string, message: string) => badRequest(message, [{ path, message }]);
export const unauthenticated = (message = "请先登录") => new ApiError(401, "UNAUTHENTICATED", message);
export const forbidden = (message = "无权访问该资源") => new ApiError(403, "FORBIDDEN", message);
export const notFound = (message = "资源不存在") => new ApiError(404, "NOT_FOUND", message);
export const conflict = (code: string, message: string) => new ApiError(409, code, message);
