import { useCallback, useEffect, useState } from 'react';
import { cacheUsage, clearFileCache, type CacheUsage } from '../hub/file-cache';

/** What the download cache holds, read again whenever `refreshOn` changes (e.g. a run's status). */
export function useCacheUsage(refreshOn: unknown) {
  const [cache, setCache] = useState<CacheUsage | undefined>(undefined);
  const refresh = useCallback(() => {
    void cacheUsage().then(setCache, () => setCache({ files: 0, bytes: 0 }));
  }, []);
  useEffect(refresh, [refresh, refreshOn]);
  const clear = useCallback(() => void clearFileCache().then(refresh), [refresh]);
  return { cache, clear };
}
