/**
 * A value loaded once per container and then kept, except when loading fails: the failure is not
 * kept, so the next caller tries again (a transient Secrets Manager or SSM error must not leave a
 * container answering errors until Lambda recycles it).
 */
export function cachedUnlessFailed<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      const loading = load();
      value = loading;
      loading.catch(() => {
        if (value === loading) value = undefined;
      });
    }
    return value;
  };
}
