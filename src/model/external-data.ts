/** Where the builder puts weights that would not fit in protobuf: one file beside the model. */
export const EXTERNAL_DATA_FILE = 'model.onnx_data';
/** Protobuf caps a message at 2 GiB; move weights out well before that. */
export const EXTERNAL_DATA_THRESHOLD_BYTES = 1.5 * 2 ** 30;
