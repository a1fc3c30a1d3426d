// The C++ side of fae_sentencepiece.h. Every entry point catches all exceptions: a C++ exception
// unwinding into Swift frames is undefined behaviour.

#include "fae_sentencepiece.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <string>
#include <unordered_map>
#include <vector>

struct fae_spm_processor {
    sentencepiece::SentencePieceProcessor sp;
};

namespace {

void set_message(char *message, size_t capacity, const std::string &text) {
    if (message == nullptr || capacity == 0) return;
    size_t n = text.size() < capacity - 1 ? text.size() : capacity - 1;
    std::memcpy(message, text.data(), n);
    message[n] = '\0';
}

int fail(char *message, size_t capacity, int code, const std::string &text) {
    set_message(message, capacity, text);
    return code;
}

// Runs `body`, turning any escaping exception into a status code and message.
template <typename Body>
int guarded(char *message, size_t capacity, Body body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return fail(message, capacity, FAE_SPM_OUT_OF_MEMORY, "out of memory");
    } catch (const std::exception &e) {
        return fail(message, capacity, FAE_SPM_INTERNAL, std::string("SentencePiece raised: ") + e.what());
    } catch (...) {
        return fail(message, capacity, FAE_SPM_INTERNAL, "SentencePiece raised an unknown exception");
    }
}

// A new processor loaded by `load` (which returns SentencePiece's status), or nullptr with the
// message set: `refusal` (bad arguments, checked first) or SentencePiece's own words.
template <typename Load>
fae_spm_processor *load_processor(char *message, size_t capacity, const char *refusal, Load load) {
    fae_spm_processor *result = nullptr;
    guarded(message, capacity, [&]() -> int {
        if (refusal != nullptr) return fail(message, capacity, FAE_SPM_INVALID_ARGUMENT, refusal);
        std::unique_ptr<fae_spm_processor> processor(new fae_spm_processor());
        auto status = load(processor->sp);
        if (!status.ok()) return fail(message, capacity, FAE_SPM_LOAD_FAILED, status.ToString());
        result = processor.release();
        return FAE_SPM_OK;
    });
    return result;
}

char *copy_bytes(const std::string &text) {
    char *buffer = static_cast<char *>(std::malloc(text.size() + 1));
    if (buffer == nullptr) return nullptr;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    return buffer;
}

// Feeds the trainer from a text file line by line. We read the file ourselves rather than pass
// `input=` because SentencePiece splits that option at commas, which breaks such paths.
class FileSentenceIterator : public sentencepiece::SentenceIterator {
  public:
    explicit FileSentenceIterator(const std::string &path) : stream_(path, std::ios::binary) {
        if (!stream_) {
            status_ = sentencepiece::util::Status(sentencepiece::util::StatusCode::kNotFound,
                                                  "cannot open the corpus " + path);
            done_ = true;
            return;
        }
        Next();
    }
    bool done() const override { return done_; }
    void Next() override {
        if (!std::getline(stream_, line_)) {
            done_ = true;
            return;
        }
        if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    }
    const std::string &value() const override { return line_; }
    sentencepiece::util::Status status() const override { return status_; }

  private:
    std::ifstream stream_;
    std::string line_;
    bool done_ = false;
    sentencepiece::util::Status status_;
};

}  // namespace

extern "C" {

fae_spm_processor *fae_spm_load_file(const char *path, char *message, size_t message_capacity) {
    return load_processor(message, message_capacity, path == nullptr ? "no model path" : nullptr,
                          [&](sentencepiece::SentencePieceProcessor &sp) { return sp.Load(path); });
}

fae_spm_processor *fae_spm_load_bytes(const void *bytes, size_t length, char *message, size_t message_capacity) {
    return load_processor(message, message_capacity, bytes == nullptr && length > 0 ? "no model bytes" : nullptr,
                          [&](sentencepiece::SentencePieceProcessor &sp) {
                              return sp.LoadFromSerializedProto(std::string(static_cast<const char *>(bytes), length));
                          });
}

void fae_spm_free(fae_spm_processor *processor) {
    try {
        delete processor;
    } catch (...) {
    }
}

int fae_spm_encode(const fae_spm_processor *processor, const char *text, size_t length,
                   fae_spm_encoding *out, char *message, size_t message_capacity) {
    if (out == nullptr) return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no output");
    *out = fae_spm_encoding{nullptr, nullptr, nullptr, 0};
    return guarded(message, message_capacity, [&]() -> int {
        if (processor == nullptr || (text == nullptr && length > 0)) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no processor or text");
        }
        sentencepiece::ImmutableSentencePieceText spt;
        auto status = processor->sp.Encode(std::string(text == nullptr ? "" : text, length), spt.mutable_proto());
        if (!status.ok()) return fail(message, message_capacity, FAE_SPM_ENCODE_FAILED, status.ToString());
        size_t count = spt.pieces_size();
        size_t total = 0;
        for (size_t i = 0; i < count; ++i) total += spt.pieces(static_cast<int>(i)).piece().size();
        // +1 so that malloc(0) never returns NULL for an empty result, which would read as failure.
        auto *ids = static_cast<int32_t *>(std::malloc(count * sizeof(int32_t) + 1));
        auto *bytes = static_cast<char *>(std::malloc(total + 1));
        auto *lengths = static_cast<size_t *>(std::malloc(count * sizeof(size_t) + 1));
        if (ids == nullptr || bytes == nullptr || lengths == nullptr) {
            std::free(ids);
            std::free(bytes);
            std::free(lengths);
            return fail(message, message_capacity, FAE_SPM_OUT_OF_MEMORY, "out of memory");
        }
        size_t offset = 0;
        for (size_t i = 0; i < count; ++i) {
            auto piece = spt.pieces(static_cast<int>(i));
            ids[i] = static_cast<int32_t>(piece.id());
            const std::string &p = piece.piece();
            std::memcpy(bytes + offset, p.data(), p.size());
            lengths[i] = p.size();
            offset += p.size();
        }
        bytes[offset] = '\0';
        *out = fae_spm_encoding{ids, bytes, lengths, count};
        return FAE_SPM_OK;
    });
}

void fae_spm_encoding_free(fae_spm_encoding *encoding) {
    if (encoding == nullptr) return;
    std::free(encoding->ids);
    std::free(encoding->piece_bytes);
    std::free(encoding->piece_lengths);
    *encoding = fae_spm_encoding{nullptr, nullptr, nullptr, 0};
}

int fae_spm_decode(const fae_spm_processor *processor, const int32_t *ids, size_t count,
                   char **out_text, size_t *out_length, char *message, size_t message_capacity) {
    if (out_text == nullptr || out_length == nullptr) {
        return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no output");
    }
    *out_text = nullptr;
    *out_length = 0;
    return guarded(message, message_capacity, [&]() -> int {
        if (processor == nullptr || (ids == nullptr && count > 0)) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no processor or ids");
        }
        const int size = processor->sp.GetPieceSize();
        std::vector<int> values;
        values.reserve(count);
        for (size_t i = 0; i < count; ++i) {
            // Older SentencePiece releases index out of bounds on a bad id instead of failing.
            if (ids[i] < 0 || ids[i] >= size) {
                return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT,
                            "id " + std::to_string(ids[i]) + " is outside the vocabulary (size " + std::to_string(size) + ")");
            }
            values.push_back(ids[i]);
        }
        std::string text;
        auto status = processor->sp.Decode(values, &text);
        if (!status.ok()) return fail(message, message_capacity, FAE_SPM_DECODE_FAILED, status.ToString());
        char *buffer = copy_bytes(text);
        if (buffer == nullptr) return fail(message, message_capacity, FAE_SPM_OUT_OF_MEMORY, "out of memory");
        *out_text = buffer;
        *out_length = text.size();
        return FAE_SPM_OK;
    });
}

void fae_spm_free_buffer(void *buffer) { std::free(buffer); }

int32_t fae_spm_vocab_size(const fae_spm_processor *processor) {
    if (processor == nullptr) return 0;
    try {
        return processor->sp.GetPieceSize();
    } catch (...) {
        return 0;
    }
}

int32_t fae_spm_piece_to_id(const fae_spm_processor *processor, const char *piece, size_t length) {
    if (processor == nullptr) return -1;
    try {
        return processor->sp.PieceToId(std::string(piece == nullptr ? "" : piece, piece == nullptr ? 0 : length));
    } catch (...) {
        return -1;
    }
}

int fae_spm_id_to_piece(const fae_spm_processor *processor, int32_t id, char **out_piece, size_t *out_length,
                        char *message, size_t message_capacity) {
    if (out_piece == nullptr || out_length == nullptr) {
        return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no output");
    }
    *out_piece = nullptr;
    *out_length = 0;
    return guarded(message, message_capacity, [&]() -> int {
        if (processor == nullptr) return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no processor");
        const int size = processor->sp.GetPieceSize();
        if (id < 0 || id >= size) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT,
                        "id " + std::to_string(id) + " is outside the vocabulary (size " + std::to_string(size) + ")");
        }
        const std::string &piece = processor->sp.IdToPiece(id);
        char *buffer = copy_bytes(piece);
        if (buffer == nullptr) return fail(message, message_capacity, FAE_SPM_OUT_OF_MEMORY, "out of memory");
        *out_piece = buffer;
        *out_length = piece.size();
        return FAE_SPM_OK;
    });
}

int fae_spm_is_control(const fae_spm_processor *processor, int32_t id) {
    if (processor == nullptr) return 0;
    try {
        if (id < 0 || id >= processor->sp.GetPieceSize()) return 0;
        return processor->sp.IsControl(id) ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

float fae_spm_score(const fae_spm_processor *processor, int32_t id) {
    if (processor == nullptr) return 0;
    try {
        if (id < 0 || id >= processor->sp.GetPieceSize()) return 0;
        return processor->sp.GetScore(id);
    } catch (...) {
        return 0;
    }
}

#define FAE_SPM_SPECIAL_ID(name)                                      \
    int32_t fae_spm_##name(const fae_spm_processor *processor) {      \
        if (processor == nullptr) return -1;                          \
        try {                                                         \
            return processor->sp.name();                              \
        } catch (...) {                                               \
            return -1;                                                \
        }                                                             \
    }
FAE_SPM_SPECIAL_ID(unk_id)
FAE_SPM_SPECIAL_ID(bos_id)
FAE_SPM_SPECIAL_ID(eos_id)
FAE_SPM_SPECIAL_ID(pad_id)
#undef FAE_SPM_SPECIAL_ID

int fae_spm_train(const fae_spm_train_options *options, char **out_model, size_t *out_length,
                  char *message, size_t message_capacity) {
    if (out_model == nullptr || out_length == nullptr) {
        return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "no output");
    }
    *out_model = nullptr;
    *out_length = 0;
    return guarded(message, message_capacity, [&]() -> int {
        if (options == nullptr || options->corpus_path == nullptr) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "a corpus path is required");
        }
        if (options->vocab_size <= 0) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "vocabulary size must be positive");
        }
        if (!(options->character_coverage > 0.0 && options->character_coverage <= 1.0)) {
            return fail(message, message_capacity, FAE_SPM_INVALID_ARGUMENT, "character coverage must be in (0, 1]");
        }
        char coverage[64];
        std::snprintf(coverage, sizeof coverage, "%.17g", options->character_coverage);
        std::unordered_map<std::string, std::string> kwargs = {
            {"model_type", options->model_type != nullptr ? options->model_type : "unigram"},
            {"vocab_size", std::to_string(options->vocab_size)},
            {"character_coverage", coverage},
            {"pad_id", std::to_string(options->pad_id)},
            {"eos_id", std::to_string(options->eos_id)},
            {"unk_id", std::to_string(options->unk_id)},
            {"bos_id", std::to_string(options->bos_id)},
            {"num_threads", std::to_string(options->num_threads > 0 ? options->num_threads : 1)},
            {"hard_vocab_limit", options->hard_vocab_limit != 0 ? "true" : "false"},
            // SentencePiece logs every EM round to stderr; callers report results themselves.
            {"minloglevel", "2"},
        };
        if (options->normalization_rule != nullptr) kwargs["normalization_rule_name"] = options->normalization_rule;
        if (options->user_defined_symbols != nullptr && options->user_defined_symbols[0] != '\0') {
            kwargs["user_defined_symbols"] = options->user_defined_symbols;
        }
        if (options->control_symbols != nullptr && options->control_symbols[0] != '\0') {
            kwargs["control_symbols"] = options->control_symbols;
        }
        FileSentenceIterator sentences(options->corpus_path);
        if (!sentences.status().ok()) {
            return fail(message, message_capacity, FAE_SPM_TRAIN_FAILED, sentences.status().ToString());
        }
        std::string serialized;
        auto status = sentencepiece::SentencePieceTrainer::Train(kwargs, &sentences, &serialized);
        if (!status.ok()) return fail(message, message_capacity, FAE_SPM_TRAIN_FAILED, status.ToString());
        if (serialized.empty()) return fail(message, message_capacity, FAE_SPM_TRAIN_FAILED, "SentencePiece returned no model");
        char *buffer = copy_bytes(serialized);
        if (buffer == nullptr) return fail(message, message_capacity, FAE_SPM_OUT_OF_MEMORY, "out of memory");
        *out_model = buffer;
        *out_length = serialized.size();
        return FAE_SPM_OK;
    });
}

}  // extern "C"
