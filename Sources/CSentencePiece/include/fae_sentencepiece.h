#ifndef FAE_SENTENCEPIECE_H
#define FAE_SENTENCEPIECE_H

// A C face for libsentencepiece (C++). Swift imports only this header, so no Swift target needs
// C++ interop. No C++ exception ever crosses these functions: each one catches everything and
// reports it as a status code plus a one-line message in the caller's buffer.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes. On any code but FAE_SPM_OK the caller's message buffer holds a NUL-terminated
/// explanation and no output buffer is left allocated.
typedef enum {
    FAE_SPM_OK = 0,
    FAE_SPM_INVALID_ARGUMENT = 1,  // NULL pointer, id out of range, bad option value
    FAE_SPM_LOAD_FAILED = 2,       // missing, unreadable or not a SentencePiece model
    FAE_SPM_ENCODE_FAILED = 3,
    FAE_SPM_DECODE_FAILED = 4,
    FAE_SPM_TRAIN_FAILED = 5,      // SentencePiece rejected the corpus or the options
    FAE_SPM_OUT_OF_MEMORY = 6,
    FAE_SPM_INTERNAL = 7,          // an unexpected C++ exception
} fae_spm_status;

/// An opaque loaded model (a sentencepiece::SentencePieceProcessor).
typedef struct fae_spm_processor fae_spm_processor;

/// Loads a `.model` file. Returns NULL (and a message) on failure. Release with fae_spm_free.
fae_spm_processor *fae_spm_load_file(const char *path, char *message, size_t message_capacity);

/// Loads a serialized model (the bytes of a `.model` file). Returns NULL (and a message) on failure.
fae_spm_processor *fae_spm_load_bytes(const void *bytes, size_t length, char *message, size_t message_capacity);

/// Releases a processor; NULL is ignored.
void fae_spm_free(fae_spm_processor *processor);

/// The result of encoding one text: `count` ids and pieces. Piece i is the `piece_lengths[i]`
/// UTF-8 bytes of `piece_bytes` that follow pieces 0..<i (lengths, not NUL terminators, because
/// a piece may contain any byte). Release with fae_spm_encoding_free.
typedef struct {
    int32_t *ids;
    char *piece_bytes;
    size_t *piece_lengths;
    size_t count;
} fae_spm_encoding;

/// Encodes `length` bytes of UTF-8 `text` (need not be NUL-terminated). No BOS/EOS is added,
/// exactly as `spm_encode` without extra options.
int fae_spm_encode(const fae_spm_processor *processor, const char *text, size_t length,
                   fae_spm_encoding *out, char *message, size_t message_capacity);

/// Frees the arrays of an encoding and zeroes it; safe on a zeroed or already freed encoding.
void fae_spm_encoding_free(fae_spm_encoding *encoding);

/// Decodes ids to text. Every id must be in 0..<fae_spm_vocab_size. On success `*out_text` is a
/// malloc'ed buffer of `*out_length` bytes plus a NUL; release it with fae_spm_free_buffer.
int fae_spm_decode(const fae_spm_processor *processor, const int32_t *ids, size_t count,
                   char **out_text, size_t *out_length, char *message, size_t message_capacity);

/// Releases a buffer returned by this shim; NULL is ignored.
void fae_spm_free_buffer(void *buffer);

/// Number of pieces in the vocabulary.
int32_t fae_spm_vocab_size(const fae_spm_processor *processor);

/// The id of a piece (`length` UTF-8 bytes); the unknown id when the piece is not in the vocabulary.
int32_t fae_spm_piece_to_id(const fae_spm_processor *processor, const char *piece, size_t length);

/// The piece of an id as a malloc'ed, NUL-terminated buffer of `*out_length` bytes (release with
/// fae_spm_free_buffer), or FAE_SPM_INVALID_ARGUMENT when the id is out of range.
int fae_spm_id_to_piece(const fae_spm_processor *processor, int32_t id, char **out_piece, size_t *out_length,
                        char *message, size_t message_capacity);

/// Whether an id is a control symbol (pad, eos, bos or a user's control symbol). False when out of range.
int fae_spm_is_control(const fae_spm_processor *processor, int32_t id);

/// The score of a piece (log probability for unigram models); 0 when the id is out of range.
float fae_spm_score(const fae_spm_processor *processor, int32_t id);

/// Special ids; -1 when the model has none.
int32_t fae_spm_unk_id(const fae_spm_processor *processor);
int32_t fae_spm_bos_id(const fae_spm_processor *processor);
int32_t fae_spm_eos_id(const fae_spm_processor *processor);
int32_t fae_spm_pad_id(const fae_spm_processor *processor);

/// Options of fae_spm_train. String fields may be NULL (the SentencePiece default).
typedef struct {
    const char *corpus_path;          // one sentence per line
    const char *model_type;           // "unigram" (default), "bpe", "char" or "word"
    const char *normalization_rule;   // e.g. "nmt_nfkc" (default), "nmt_nfkc_cf" (also case-folds), "identity"
    const char *user_defined_symbols; // comma-separated; always one piece each, in the input too
    const char *control_symbols;      // comma-separated; ids reserved, never produced by encode
    int32_t vocab_size;
    double character_coverage;        // 0 < c <= 1
    int32_t pad_id, eos_id, unk_id, bos_id;  // -1 disables (unk cannot be disabled)
    int32_t num_threads;              // fixed for reproducible models
    int32_t hard_vocab_limit;         // nonzero: fail unless exactly vocab_size pieces can be made
} fae_spm_train_options;

/// Trains a model, quietly (SentencePiece's progress logging is switched off). On success `*out_model`
/// is a malloc'ed buffer holding the serialized model (the bytes of a `.model` file), `*out_length`
/// bytes; release it with fae_spm_free_buffer. No file is written: spm_train would record its output
/// path inside the model, which would make identical trainings differ byte for byte.
int fae_spm_train(const fae_spm_train_options *options, char **out_model, size_t *out_length,
                  char *message, size_t message_capacity);

#ifdef __cplusplus
}
#endif

#endif
