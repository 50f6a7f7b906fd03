/** A file of a model repository, as a hub listing or a local folder describes it before anything is read. */
export interface RepoFile {
  /** Relative to the repository root, '/'-separated, e.g. `onnx/model_q4.onnx`. */
  readonly path: string;
  readonly bytes: number;
  /** SHA-256 (hex) where the hub gives one (LFS files); downloads are checked against it. */
  readonly sha256?: string;
}
