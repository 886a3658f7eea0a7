package jp.tcportal.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read (secrets, private keys): created with mode 600 in one step and
 * moved into place, never written world-readable and tightened afterwards, and never written into a
 * file someone else created or holds open.
 */
final class PrivateFiles {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Writes {@code content} to {@code file} (replacing it) as a new owner-only file. */
  static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createPrivateDirectories(dir);
    // A fresh inode created 600: a reader who opened an older file at this path never sees it.
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", ownerOnly("rw-------"));
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException notAtomic) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Creates missing folders owner-only (700); folders that exist keep their permissions. Windows:
   * the parent folder's ACL applies.
   */
  static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, ownerOnly("rwx------"));
    } catch (java.nio.file.FileAlreadyExistsException raced) {
      // Another start created it meanwhile.
    }
  }

  /** A file kept by an older launcher, which wrote it world-readable first: made owner-only now. */
  static void tighten(Path file) throws IOException {
    if (POSIX && Files.isRegularFile(file)) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!permissions.equals(PosixFilePermissions.fromString("rw-------"))) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    }
  }

  private static FileAttribute<?>[] ownerOnly(String permissions) {
    return POSIX
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))
        }
        : new FileAttribute<?>[0];
  }
}
