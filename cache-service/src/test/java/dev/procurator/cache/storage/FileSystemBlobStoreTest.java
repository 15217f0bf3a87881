package dev.procurator.cache.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {

    @TempDir
    Path dataDir;

    @Test
    void anUploadCutOffByACrashIsDroppedAtStartAndNeverVisible() throws Exception {
        Files.createDirectories(dataDir.resolve("tmp"));
        Path leftover = Files.writeString(dataDir.resolve("tmp/upload-1.part"), "half a NAR");
        FileSystemBlobStore store = new FileSystemBlobStore(dataDir, false);
        assertThat(leftover).doesNotExist();
        try (var nars = Files.walk(dataDir.resolve("nar"))) {
            assertThat(nars.filter(Files::isRegularFile).toList()).isEmpty();
        }

        BlobStore.TempFile upload = store.newTempFile();
        assertThat(upload.path().getParent()).isEqualTo(dataDir.resolve("tmp"));
        BlobStore.TempFile other = store.newTempFile();
        other.channel().close();
        assertThat(other.path()).as("a name of its own").isNotEqualTo(upload.path());
        try (var channel = upload.channel()) {
            channel.write(java.nio.ByteBuffer.wrap("0123456789".getBytes()));
        }
        Path temp = upload.path();
        store.put("main/x.nar", temp);
        assertThat(temp).doesNotExist();
        try (InputStream in = store.open("main/x.nar", 2, 5)) {
            assertThat(new String(in.readAllBytes())).isEqualTo("23456");
        }
        store.delete("main/x.nar");
        assertThat(store.localFile("main/x.nar")).doesNotExist();
    }

    @Test
    void keysCannotEscapeTheStore() throws Exception {
        FileSystemBlobStore store = new FileSystemBlobStore(dataDir, true);
        assertThatThrownBy(() -> store.localFile("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("main/../../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
