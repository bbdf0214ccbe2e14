package dev.orket.core.sweep;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Says in words why a file operation failed, for messages that name the cause. */
final class IoCause {

    private IoCause() {}

    /** E.g. {@code permission denied: /data/out}, {@code not a directory: /data/file}. */
    static String describe(IOException e) {
        if (e instanceof CharacterCodingException) {
            // Its message is only the length of the bad input, which says nothing to a reader.
            return "not valid UTF-8";
        }
        String what;
        if (e instanceof AccessDeniedException) {
            what = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            what = "no such file or directory";
        } else if (e instanceof NotDirectoryException) {
            what = "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            what = "a file (not a directory) is in the way";
        } else if (e instanceof FileSystemException fs && fs.getReason() != null) {
            what = fs.getReason();
        } else {
            what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return what;
        }
        String file = e instanceof FileSystemException fs ? fs.getFile() : null;
        return file == null ? what : what + ": " + file;
    }
}
