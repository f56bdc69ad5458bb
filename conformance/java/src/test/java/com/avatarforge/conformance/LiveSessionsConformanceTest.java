package com.avatarforge.conformance;

import static com.avatarforge.conformance.Check.check;
import static com.avatarforge.conformance.Check.eq;
import static com.avatarforge.conformance.Check.env;
import static com.avatarforge.conformance.Check.expectClientError;
import static com.avatarforge.conformance.Check.isHex32;
import static com.avatarforge.conformance.Check.isTime;
import static com.avatarforge.conformance.Check.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.huaweicloud.sdk.core.SdkResponse;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.utils.JsonUtils;
import com.huaweicloud.sdk.metastudio.v1.MetaStudioClient;
import com.huaweicloud.sdk.metastudio.v1.model.BackgroundConfigInfo;
import com.huaweicloud.sdk.metastudio.v1.model.ChatSubtitleConfig;
import com.huaweicloud.sdk.metastudio.v1.model.ChatVoiceConfig;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobReq;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Create2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.CreateDialogUrlReq;
import com.huaweicloud.sdk.metastudio.v1.model.CreateDialogUrlRequest;
import com.huaweicloud.sdk.metastudio.v1.model.CreateDialogUrlResponse;
import com.huaweicloud.sdk.metastudio.v1.model.CreateOnceCodeRequest;
import com.huaweicloud.sdk.metastudio.v1.model.CreateOnceCodeResponse;
import com.huaweicloud.sdk.metastudio.v1.model.CreateSmartChatRoomReq;
import com.huaweicloud.sdk.metastudio.v1.model.CreateSmartChatRoomRequest;
import com.huaweicloud.sdk.metastudio.v1.model.CreateSmartChatRoomResponse;
import com.huaweicloud.sdk.metastudio.v1.model.DeleteSmartChatRoomRequest;
import com.huaweicloud.sdk.metastudio.v1.model.DeleteSmartChatRoomResponse;
import com.huaweicloud.sdk.metastudio.v1.model.Execute2dModelTrainingCommandByUserReq;
import com.huaweicloud.sdk.metastudio.v1.model.Execute2dModelTrainingCommandByUserRequest;
import com.huaweicloud.sdk.metastudio.v1.model.LayerConfig;
import com.huaweicloud.sdk.metastudio.v1.model.LayerPositionConfig;
import com.huaweicloud.sdk.metastudio.v1.model.LayerSizeConfig;
import com.huaweicloud.sdk.metastudio.v1.model.ListSmartChatRoomsRequest;
import com.huaweicloud.sdk.metastudio.v1.model.ListSmartChatRoomsResponse;
import com.huaweicloud.sdk.metastudio.v1.model.ReviewConfig;
import com.huaweicloud.sdk.metastudio.v1.model.Show2dModelTrainingJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.Show2dModelTrainingJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.ShowAssetRequest;
import com.huaweicloud.sdk.metastudio.v1.model.ShowSmartChatJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.ShowSmartChatJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.ShowSmartChatRoomRequest;
import com.huaweicloud.sdk.metastudio.v1.model.ShowSmartChatRoomResponse;
import com.huaweicloud.sdk.metastudio.v1.model.SmartChatJobsReq;
import com.huaweicloud.sdk.metastudio.v1.model.SmartChatRoomBaseInfo;
import com.huaweicloud.sdk.metastudio.v1.model.StartSmartChatJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.StartSmartChatJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.StopSmartChatJobRequest;
import com.huaweicloud.sdk.metastudio.v1.model.StopSmartChatJobResponse;
import com.huaweicloud.sdk.metastudio.v1.model.SupportedServiceEnum;
import com.huaweicloud.sdk.metastudio.v1.model.UpdateDigitalAssetRequest;
import com.huaweicloud.sdk.metastudio.v1.model.UpdateDigitalAssetRequestBody;
import com.huaweicloud.sdk.metastudio.v1.model.UpdateSmartChatRoomRequest;
import com.huaweicloud.sdk.metastudio.v1.model.UpdateSmartChatRoomResponse;
import com.huaweicloud.sdk.metastudio.v1.model.VideoConfig;
import com.huaweicloud.sdk.metastudio.v1.model.VoiceConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Live sessions (intelligent interaction) through the official Java SDK (huaweicloud-sdk-metastudio
 * 3.1.143), with the SDK's own request and model classes: createSmartChatRoom, showSmartChatRoom,
 * listSmartChatRooms, updateSmartChatRoom, deleteSmartChatRoom, startSmartChatJob, showSmartChatJob,
 * stopSmartChatJob, createDialogUrl and createOnceCode. ListSmartChatJob is not covered here: 3.1.143
 * has no ListSmartChatJob call (nor its SmartChatJobBaseInfo); the Go and Python suites cover it.
 *
 * <p>The room's model comes from the emulated pipeline (conformance/server.sh), as in
 * {@link AssetsConformanceTest}: a training job released with the admin token reaches JOB_SUCCESS
 * with its HUMAN_MODEL_2D asset, whose supported_service is the job's (by default VIDEO_2D and
 * LIVE_2D), so a room can show it.
 *
 * <p>Every answer is compared whole with the JSON the server sent ({@link #sameAsWire}): the SDK's
 * object, serialised by the SDK's own JsonUtils, drops no key, adds none and changes no value (numbers
 * compare by value: the SDK writes its Float duration 2 as 2.0). 3.1.143 is older than the API and the
 * Go SDK (spec/intelligent-interaction.md §10): it does not model a room's billing_mode,
 * reuse_resource, client_nums, exit_mute_threshold, enable_semantic_action, is_pool_mode and
 * chat_resource_config, List's count_client_nums and count_client_nums_token, or a job's client_id,
 * is_pool_mode and job_finish_reason. Those keys, and only those, are left out of the comparison
 * ({@link #UNMODELLED}) and checked on the wire instead. The tests run in order and build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveSessionsConformanceTest {
    static final String APP_USER = "java-live";
    static final String BOB = "java-live-bob";
    static final String ROBOT = "robot-java";
    static final String UNKNOWN_ID = "0".repeat(32);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern ONCE_CODE = Pattern.compile("^[A-Za-z0-9_-]{32}$");

    /** Keys of each answer that 3.1.143's model class does not have ("*" is every element of a list). */
    static final Map<Class<?>, List<String>> UNMODELLED = Map.of(
        ShowSmartChatRoomResponse.class, List.of("billing_mode", "reuse_resource", "client_nums", "exit_mute_threshold",
            "enable_semantic_action", "is_pool_mode", "chat_resource_config"),
        UpdateSmartChatRoomResponse.class, List.of("billing_mode", "reuse_resource", "client_nums", "exit_mute_threshold",
            "enable_semantic_action", "is_pool_mode", "chat_resource_config"),
        ListSmartChatRoomsResponse.class, List.of("count_client_nums", "count_client_nums_token", "smart_chat_rooms/*/billing_mode",
            "smart_chat_rooms/*/reuse_resource", "smart_chat_rooms/*/client_nums", "smart_chat_rooms/*/exit_mute_threshold"),
        ShowSmartChatJobResponse.class, List.of("client_id", "is_pool_mode", "job_finish_reason"));

    static MetaStudioClient client;
    static final AssetsConformanceTest.Wire wire = new AssetsConformanceTest.Wire();
    static int assertionsBefore;

    // What the scenario learns as it goes.
    static String model;
    static String room;
    static String bareRoom;
    static String job;

    @BeforeAll
    static void setUp() {
        assertionsBefore = Check.count;
        client = AssetsConformanceTest.makeClient(env("AF_PROJECT_ID"), env("AF_ACCESS_KEY"), env("AF_SECRET_KEY"), wire);
    }

    @AfterAll
    static void total() {
        System.out.println("java conformance (live sessions): " + (Check.count - assertionsBefore)
            + " assertions (" + Check.count + " in all)");
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    /** The wire JSON as the SDK should see it: 3.1.143's unmodelled keys of this answer removed. */
    static JsonNode modelledWire(Class<?> type) throws Exception {
        JsonNode raw = wire.body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(wire.body);
        for (String path : UNMODELLED.getOrDefault(type, List.of())) {
            remove(raw, Arrays.asList(path.split("/")));
        }
        return raw;
    }

    static void remove(JsonNode node, List<String> path) {
        if (path.size() == 1) {
            if (node instanceof ObjectNode object) {
                object.remove(path.get(0));
            }
            return;
        }
        JsonNode child = node.get(path.get(0));
        if (child != null && child.isArray() && "*".equals(path.get(1))) {
            child.forEach(element -> remove(element, path.subList(2, path.size())));
        } else if (child != null) {
            remove(child, path.subList(1, path.size()));
        }
    }

    /** Same JSON, numbers by value (the SDK's Float 2.0 is the wire's 2). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        return a.equals((x, y) -> x.isNumber() && y.isNumber()
            ? Double.compare(x.asDouble(), y.asDouble())
            : (x.equals(y) ? 0 : 1), b);
    }

    /** The SDK's object, serialised by the SDK, is the JSON the server last sent (headers and UNMODELLED keys aside). */
    static void sameAsWire(Object answer, String what) throws Exception {
        JsonNode sdk = JSON.readTree(JsonUtils.toJSON(answer));
        if (sdk instanceof ObjectNode object) {
            object.remove("X-Request-Id");
        }
        JsonNode raw = modelledWire(answer.getClass());
        check(sameJson(sdk, raw), what + ": the SDK object against the wire JSON: expected " + raw + ", got " + sdk);
    }

    /** A 200 with its own request id, the X-Request-Id header, and an object equal to the wire. */
    static <T extends SdkResponse> T answered(T response, String requestId, String what) throws Exception {
        eq(response.getHttpStatusCode(), 200, what + " status");
        isHex32(requestId, what + " getXRequestId");
        eq(requestId, wire.requestId, what + " getXRequestId is the X-Request-Id header");
        sameAsWire(response, what);
        return response;
    }

    /** A part of an answer as JSON, for comparing with a literal. */
    static JsonNode json(Object value) throws Exception {
        return JSON.readTree(JsonUtils.toJSON(value));
    }

    static void sameJson(Object value, String expected, String what) throws Exception {
        JsonNode actual = json(value);
        check(sameJson(actual, JSON.readTree(expected)), what + ": expected " + expected + ", got " + actual);
    }

    /** A key of the last answer on the wire (for those 3.1.143 does not model). */
    static JsonNode onWire(String pointer) throws Exception {
        return JSON.readTree(wire.body).at(pointer);
    }

    /** A training job taken through the emulated pipeline to JOB_SUCCESS: its model asset id. */
    static String trainedModel(String name) throws Exception {
        Create2dModelTrainingJobResponse created = client.create2dModelTrainingJob(new Create2dModelTrainingJobRequest()
            .withXAppUserId(APP_USER).withBody(new Create2dModelTrainingJobReq().withName(name)));
        String jobId = created.getJobId();
        AssetsConformanceTest.put(created.getTrainingVideoUploadUrl().get(0), "a few bytes standing in for a video".getBytes());
        AssetsConformanceTest.put(created.getIdCardImage1UploadUrl(), "id-card-front".getBytes());
        AssetsConformanceTest.put(created.getIdCardImage2UploadUrl(), "id-card-back".getBytes());
        AssetsConformanceTest.put(created.getGrantFileUploadUrl(), "grant-letter".getBytes());
        for (Execute2dModelTrainingCommandByUserReq.CommandEnum command : List.of(
            Execute2dModelTrainingCommandByUserReq.CommandEnum.CONFIRM_MULTIPART_UPLOADED,
            Execute2dModelTrainingCommandByUserReq.CommandEnum.SUBMITVERIFYING)) {
            eq(value(client.execute2dModelTrainingCommandByUser(new Execute2dModelTrainingCommandByUserRequest().withJobId(jobId)
                .withXAppUserId(APP_USER).withBody(new Execute2dModelTrainingCommandByUserReq().withCommand(command)))
                .getCommondResult()), "EXCUTE_SUCCESS", value(command));
        }
        AssetsConformanceTest.emulator("POST", "/jobs/" + jobId + "/release", null);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (;;) {
            Show2dModelTrainingJobResponse shown = client.show2dModelTrainingJob(
                new Show2dModelTrainingJobRequest().withJobId(jobId).withXAppUserId(APP_USER));
            String state = value(shown.getState());
            if ("JOB_SUCCESS".equals(state)) {
                isHex32(shown.getAssetId(), "the training job's asset_id");
                return shown.getAssetId();
            }
            if (state.endsWith("FAILED") || System.nanoTime() > deadline) {
                throw new AssertionError("training job " + jobId + " is " + state + ", not JOB_SUCCESS");
            }
            Thread.sleep(100);
        }
    }

    static void setSupportedService(SupportedServiceEnum... services) {
        List<SupportedServiceEnum> list = List.of(services);
        eq(client.updateDigitalAsset(new UpdateDigitalAssetRequest().withXAppUserId(APP_USER).withAssetId(model)
            .withBody(new UpdateDigitalAssetRequestBody().withSupportedService(list))).getSupportedService(), list,
            "supported_service after updateDigitalAsset");
    }

    static CreateSmartChatRoomReq lobby(String name, int concurrency) {
        return new CreateSmartChatRoomReq().withRoomName(name).withModelAssetId(model).withConcurrency(concurrency);
    }

    static CreateSmartChatRoomResponse createRoom(MetaStudioClient on, String appUser, CreateSmartChatRoomReq body) {
        return on.createSmartChatRoom(new CreateSmartChatRoomRequest().withXAppUserId(appUser).withBody(body));
    }

    static ShowSmartChatRoomResponse showRoom(MetaStudioClient on, String appUser, String roomId) {
        return on.showSmartChatRoom(new ShowSmartChatRoomRequest().withXAppUserId(appUser).withRoomId(roomId));
    }

    static ShowSmartChatRoomResponse showRoom(String roomId) {
        return showRoom(client, APP_USER, roomId);
    }

    static ListSmartChatRoomsResponse listRooms(MetaStudioClient on, String appUser, Consumer<ListSmartChatRoomsRequest> filters) {
        ListSmartChatRoomsRequest request = new ListSmartChatRoomsRequest().withXAppUserId(appUser);
        filters.accept(request);
        return on.listSmartChatRooms(request);
    }

    static List<String> roomIds(ListSmartChatRoomsResponse listed) {
        return listed.getSmartChatRooms().stream().map(SmartChatRoomBaseInfo::getRoomId).collect(Collectors.toList());
    }

    static UpdateSmartChatRoomResponse updateRoom(MetaStudioClient on, String appUser, String roomId, CreateSmartChatRoomReq body) {
        return on.updateSmartChatRoom(new UpdateSmartChatRoomRequest().withXAppUserId(appUser).withRoomId(roomId).withBody(body));
    }

    static DeleteSmartChatRoomResponse deleteRoom(MetaStudioClient on, String appUser, String roomId) {
        return on.deleteSmartChatRoom(new DeleteSmartChatRoomRequest().withXAppUserId(appUser).withRoomId(roomId));
    }

    static StartSmartChatJobResponse startJob(MetaStudioClient on, String appUser, String roomId, String robotId, String extendParam) {
        StartSmartChatJobRequest request = new StartSmartChatJobRequest().withXAppUserId(appUser).withRoomId(roomId).withRobotId(robotId);
        if (extendParam != null) {
            request.withBody(new SmartChatJobsReq().withExtendParam(extendParam));
        }
        return on.startSmartChatJob(request);
    }

    static ShowSmartChatJobResponse showJob(MetaStudioClient on, String appUser, String roomId, String jobId) {
        return on.showSmartChatJob(new ShowSmartChatJobRequest().withXAppUserId(appUser).withRoomId(roomId).withJobId(jobId));
    }

    static StopSmartChatJobResponse stopJob(MetaStudioClient on, String appUser, String roomId, String jobId) {
        return on.stopSmartChatJob(new StopSmartChatJobRequest().withXAppUserId(appUser).withRoomId(roomId).withJobId(jobId));
    }

    static CreateDialogUrlResponse dialogUrl(MetaStudioClient on, String appUser, String roomId, String robotId) {
        return on.createDialogUrl(new CreateDialogUrlRequest().withXAppUserId(appUser)
            .withBody(new CreateDialogUrlReq().withRoomId(roomId).withRobotId(robotId)));
    }

    // ---------------------------------------------------------------------------------------------
    // Rooms
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aTrainedModelSupportsLiveSessions() throws Exception {
        model = trainedModel("java live presenter");
        eq(client.showAsset(new ShowAssetRequest().withXAppUserId(APP_USER).withAssetId(model)).getSupportedService(),
            List.of(SupportedServiceEnum.VIDEO_2D, SupportedServiceEnum.LIVE_2D), "a trained model's supported_service is its job's default");
    }

    @Test
    @Order(2)
    void createAndShowARoomWithEveryField() throws Exception {
        CreateSmartChatRoomResponse created = createRoom(client, APP_USER, lobby("java lobby", 1)
            .withRoomDescription("the front desk")
            .withVideoConfig(new VideoConfig().withBitrate(3000).withWidth(1080).withHeight(1920)
                .withCodec(VideoConfig.CodecEnum.VP9).withFrameRate(VideoConfig.FrameRateEnum._25))
            .withVoiceConfig(new VoiceConfig().withVoiceAssetId("").withSpeed(110).withPitch(0).withVolume(0))
            .withVoiceConfigList(List.of(new ChatVoiceConfig().withVoiceAssetId("af_heart").withSpeed(90).withProvider("HUAWEI_EI")
                .withLanguage(ChatVoiceConfig.LanguageEnum.EN)))
            .withRobotId(ROBOT)
            .withDefaultLanguage(CreateSmartChatRoomReq.DefaultLanguageEnum.CN)
            .withBackgroundConfig(new BackgroundConfigInfo().withBackgroundType(BackgroundConfigInfo.BackgroundTypeEnum.COLOR)
                .withBackgroundColorConfig("#20304A"))
            .withLayerConfig(List.of(new LayerConfig().withLayerType(LayerConfig.LayerTypeEnum.HUMAN)
                .withPosition(new LayerPositionConfig().withDx(0).withDy(0).withLayerIndex(1))
                .withSize(new LayerSizeConfig().withWidth(1080).withHeight(1920))))
            .withReviewConfig(new ReviewConfig().withNoNeedReview(true))
            .withChatSubtitleConfig(new ChatSubtitleConfig().withDx(90).withDy(1500).withWidth(900).withHeight(200))
            .withChatVideoType(CreateSmartChatRoomReq.ChatVideoTypeEnum.MOBILE));
        answered(created, created.getXRequestId(), "createSmartChatRoom");
        isHex32(created.getRoomId(), "room_id");
        room = created.getRoomId();

        ShowSmartChatRoomResponse shown = showRoom(room);
        answered(shown, shown.getXRequestId(), "showSmartChatRoom");
        eq(List.of(shown.getRoomId(), shown.getRoomName(), shown.getRoomDescription(), shown.getModelAssetId(), shown.getRobotId()),
            List.of(room, "java lobby", "the front desk", model, ROBOT), "room_id, name, description, model, robot");
        sameJson(shown.getVideoConfig(), "{\"bitrate\":3000,\"width\":1080,\"height\":1920,\"codec\":\"VP9\",\"frame_rate\":\"25\"}", "video_config as sent");
        sameJson(shown.getVoiceConfig(), "{\"voice_asset_id\":\"zf_xiaoxiao\",\"speed\":110,\"pitch\":100,\"volume\":140}",
            "\"\" and 0 take the defaults of the default language (CN)");
        sameJson(shown.getVoiceConfigList(), "[{\"voice_asset_id\":\"af_heart\",\"speed\":90,\"pitch\":100,\"volume\":140,\"provider\":\"HUAWEI_EI\",\"language\":\"EN\"}]",
            "voice_config_list with its defaults");
        eq(List.of(shown.getConcurrency(), value(shown.getDefaultLanguage()), value(shown.getChatVideoType())), List.of(1, "CN", "MOBILE"),
            "concurrency, default_language, chat_video_type");
        sameJson(shown.getBackgroundConfig(), "{\"background_type\":\"COLOR\",\"background_color_config\":\"#20304A\"}", "background_config");
        sameJson(shown.getLayerConfig(), "[{\"layer_type\":\"HUMAN\",\"position\":{\"dx\":0,\"dy\":0,\"layer_index\":1},\"size\":{\"width\":1080,\"height\":1920}}]", "layer_config");
        eq(shown.getReviewConfig().getNoNeedReview(), true, "review_config");
        sameJson(shown.getChatSubtitleConfig(), "{\"dx\":90,\"dy\":1500,\"width\":900,\"height\":200}", "chat_subtitle_config");
        eq(shown.getCoverUrl(), null, "no cover_url yet");
        isTime(shown.getCreateTime(), "create_time");
        isTime(shown.getUpdateTime(), "update_time");
        eq(onWire("/billing_mode").asText(), "CONCURRENCY", "billing_mode on the wire (3.1.143 does not model it)");
        eq(onWire("/reuse_resource").isBoolean() && !onWire("/reuse_resource").asBoolean(), true, "reuse_resource false on the wire");
        eq(onWire("/is_pool_mode").isBoolean() && !onWire("/is_pool_mode").asBoolean(), true, "is_pool_mode false on the wire");
    }

    @Test
    @Order(3)
    void aRoomWithOnlyItsNameAndModelTakesTheDefaults() throws Exception {
        bareRoom = createRoom(client, APP_USER, new CreateSmartChatRoomReq().withRoomName("java bare room").withModelAssetId(model)).getRoomId();
        ShowSmartChatRoomResponse shown = showRoom(bareRoom);
        answered(shown, shown.getXRequestId(), "showSmartChatRoom of a bare room");
        sameJson(shown.getVideoConfig(), "{\"width\":1920,\"height\":1080,\"bitrate\":4000,\"codec\":\"H264\"}", "video_config defaults");
        eq(Arrays.asList(shown.getConcurrency(), value(shown.getDefaultLanguage()), shown.getVoiceConfig()), Arrays.asList(0, "CN", null), "the defaults");
    }

    @Test
    @Order(4)
    void roomRefusals() {
        expectClientError(() -> createRoom(client, APP_USER, new CreateSmartChatRoomReq().withRoomName("no model")), 400, "MSS.00000003");
        expectClientError(() -> createRoom(client, APP_USER, lobby("unknown model", 1).withModelAssetId(UNKNOWN_ID)), 400, "MSS.00000003");
        expectClientError(() -> createRoom(client, APP_USER, lobby("720p", 1).withVideoConfig(new VideoConfig().withWidth(1280).withHeight(720))),
            400, "MSS.00000003");
        expectClientError(() -> createRoom(client, APP_USER, lobby("voice", 1).withVoiceConfig(new VoiceConfig().withVoiceAssetId("no-such-voice"))),
            400, "MSS.00000003");
        expectClientError(() -> createRoom(client, APP_USER, lobby("too many", 1025)), 400, "MSS.10000003");
        expectClientError(() -> createRoom(client, APP_USER, lobby(null, 1)), 400, "MSS.10000003");
        expectClientError(() -> showRoom(UNKNOWN_ID), 404, "MSS.20070001");
    }

    @Test
    @Order(5)
    void aModelWithoutALiveServiceIsRefused() throws Exception {
        setSupportedService(SupportedServiceEnum.VIDEO_2D);
        try {
            ClientRequestException error = expectClientError(() -> createRoom(client, APP_USER, lobby("java video only", 1)), 400, "MSS.00000003");
            check(error.getErrorMsg().contains("model_asset_id: "), "the message names model_asset_id: " + error.getErrorMsg());
            // The model is checked again at every Start.
            error = expectClientError(() -> startJob(client, APP_USER, room, ROBOT, null), 400, "MSS.00000003");
            check(error.getErrorMsg().contains("model_asset_id: "), "Start names model_asset_id: " + error.getErrorMsg());
        } finally {
            setSupportedService(SupportedServiceEnum.VIDEO_2D, SupportedServiceEnum.LIVE_2D);
        }
    }

    @Test
    @Order(6)
    void updateReplacesTheRoomAndAnswersItAsShowDoes() throws Exception {
        ShowSmartChatRoomResponse before = showRoom(bareRoom);
        UpdateSmartChatRoomResponse updated = updateRoom(client, APP_USER, bareRoom, lobby("java bare room, renamed", 2)
            .withDefaultLanguage(CreateSmartChatRoomReq.DefaultLanguageEnum.EN)
            .withVoiceConfig(new VoiceConfig().withVoiceAssetId("").withSpeed(0).withPitch(0).withVolume(0))
            .withVideoConfig(new VideoConfig().withBitrate(0).withWidth(0).withHeight(0))
            .withChatVideoType(CreateSmartChatRoomReq.ChatVideoTypeEnum.COMPUTER));
        answered(updated, updated.getXRequestId(), "updateSmartChatRoom");
        eq(List.of(updated.getRoomName(), updated.getConcurrency(), value(updated.getDefaultLanguage())), List.of("java bare room, renamed", 2, "EN"),
            "room_name, concurrency, default_language");
        sameJson(updated.getVoiceConfig(), "{\"voice_asset_id\":\"af_heart\",\"speed\":100,\"pitch\":100,\"volume\":140}", "the default voice of EN");
        sameJson(updated.getVideoConfig(), "{\"width\":1920,\"height\":1080,\"bitrate\":4000,\"codec\":\"H264\"}", "0 is not set: a COMPUTER room is landscape");
        eq(updated.getCreateTime(), before.getCreateTime(), "create_time kept");
        ObjectNode shownJson = (ObjectNode) json(showRoom(bareRoom));
        ObjectNode updatedJson = (ObjectNode) json(updated);
        shownJson.remove("X-Request-Id");
        updatedJson.remove("X-Request-Id");
        eq(shownJson, updatedJson, "Update answers the room as Show does");

        UpdateSmartChatRoomResponse replaced = updateRoom(client, APP_USER, bareRoom,
            new CreateSmartChatRoomReq().withRoomName("java bare room").withModelAssetId(model));
        eq(Arrays.asList(replaced.getConcurrency(), value(replaced.getDefaultLanguage()), replaced.getVoiceConfig(), replaced.getChatVideoType()),
            Arrays.asList(0, "CN", null, null), "a field left out takes its default again");
        expectClientError(() -> updateRoom(client, APP_USER, bareRoom, new CreateSmartChatRoomReq().withRoomName("x")), 400, "MSS.00000003");
        expectClientError(() -> updateRoom(client, APP_USER, UNKNOWN_ID, lobby("x", 1)), 404, "MSS.20070001");
    }

    @Test
    @Order(7)
    void listRoomsFiltersPagingAndSums() throws Exception {
        ListSmartChatRoomsResponse listed = listRooms(client, APP_USER, r -> r.withRoomName("java ").withLimit(100));
        answered(listed, listed.getXRequestId(), "listSmartChatRooms");
        eq(listed.getCount(), 2, "count");
        eq(roomIds(listed), List.of(bareRoom, room), "newest first");
        eq(listed.getCountConcurrency(), 1, "count_concurrency");
        eq(List.of(onWire("/count_client_nums").asInt(), onWire("/count_client_nums_token").asInt()), List.of(0, 0),
            "count_client_nums and count_client_nums_token on the wire (3.1.143 does not model them)");
        SmartChatRoomBaseInfo item = listed.getSmartChatRooms().get(1);
        sameJson(item.getModelInfos(), "{\"model_asset_id\":\"" + model + "\",\"asset_name\":\"java live presenter\"}", "model_infos is one object");
        eq(item.getVoiceConfigList().get(0).getLanguageDesc(), "English", "language_desc");
        eq(List.of(item.getRoomName(), item.getRobotId(), item.getConcurrency()), List.of("java lobby", ROBOT, 1), "the room's list fields");
        isTime(item.getCreateTime(), "create_time");

        ListSmartChatRoomsResponse page = listRooms(client, APP_USER, r -> r.withRoomName("java ").withLimit(1).withOffset(1));
        eq(page.getCount(), 2, "limit=1 offset=1: count is every match");
        eq(roomIds(page), List.of(room), "limit=1 offset=1");
        eq(listRooms(client, APP_USER, r -> r.withModelName("java live pres")).getCount(), 2, "model_name matches part of the model's name");
        eq(listRooms(client, APP_USER, r -> r.withModelName("nobody's model")).getCount(), 0, "model_name");
        eq(listRooms(client, APP_USER, r -> r.withStartTime("2000-01-01T00:00:00Z")).getCount(), 0, "rooms without a job are outside every window");
        ListSmartChatRoomsResponse defaults = listRooms(client, APP_USER, r -> { });
        eq(defaults.getSmartChatRooms().size(), Math.min(10, defaults.getCount()), "default page size 10");
        for (Consumer<ListSmartChatRoomsRequest> filters : List.<Consumer<ListSmartChatRoomsRequest>>of(r -> r.withLimit(0), r -> r.withLimit(101),
            r -> r.withOffset(-1), r -> r.withStartTime("yesterday"))) {
            expectClientError(() -> listRooms(client, APP_USER, filters), 400, "MSS.00000003");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Jobs (no ListSmartChatJob in 3.1.143)
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(8)
    void startAndShowAJob() throws Exception {
        StartSmartChatJobResponse started = startJob(client, APP_USER, room, ROBOT, "{\"client_id\":\"kiosk-7\",\"city\":\"Shenzhen\"}");
        answered(started, started.getXRequestId(), "startSmartChatJob");
        isHex32(started.getJobId(), "job_id");
        job = started.getJobId();
        eq(List.of(value(started.getLanguage()), value(started.getDefaultLanguage())), List.of("zh_CN", "CN"), "language, default_language");
        sameJson(started.getVideoConfig(), "{\"width\":1080,\"height\":1920}", "video_config: the room's size");
        sameJson(started.getVoiceConfigList(), "[{\"voice_asset_id\":\"zf_xiaoxiao\",\"speed\":110,\"pitch\":100,\"volume\":140,\"language\":\"CN\",\"language_desc\":\"Chinese\"},"
            + "{\"voice_asset_id\":\"af_heart\",\"speed\":90,\"pitch\":100,\"volume\":140,\"language\":\"EN\",\"language_desc\":\"English\"}]",
            "the default language's voice first, then the list's other languages");
        sameJson(started.getChatSubtitleConfig(), "{\"dx\":90,\"dy\":1500,\"width\":900,\"height\":200}", "chat_subtitle_config");
        eq(List.of(value(started.getChatVideoType()), started.getIsTransparent()), List.of("MOBILE", false), "chat_video_type, is_transparent");
        eq(Arrays.asList(started.getRtcRoomInfo(), started.getChatAccessAddress(), started.getChatAccessRestAddress(), started.getRegion()),
            Arrays.asList(null, null, null, null), "no media fields yet");

        ShowSmartChatJobResponse shown = showJob(client, APP_USER, room, job);
        answered(shown, shown.getXRequestId(), "showSmartChatJob");
        eq(List.of(shown.getJobId(), value(shown.getState()), shown.getChatState(), value(shown.getLanguage())), List.of(job, "WAITING", 0, "zh_CN"),
            "job_id, state, chat_state, language");
        check(shown.getDuration() != null && shown.getDuration() >= 0, "duration is seconds: " + shown.getDuration());
        isTime(shown.getStartTime(), "start_time");
        isTime(shown.getCreateTime(), "create_time");
        isTime(shown.getLastupdateTime(), "lastupdate_time");
        eq(Arrays.asList(shown.getEndTime(), shown.getErrorInfo()), Arrays.asList(null, null), "not ended");
        eq(json(shown.getVoiceConfigList()), json(started.getVoiceConfigList()), "Show's voices are Start's");
        eq(List.of(onWire("/client_id").asText(), onWire("/is_pool_mode").asText(), onWire("/job_finish_reason").isMissingNode()),
            List.of("kiosk-7", "false", true), "client_id, is_pool_mode and no job_finish_reason on the wire (3.1.143 does not model them)");
    }

    @Test
    @Order(9)
    void theRoomsConcurrencyRefusesASecondJob() {
        ClientRequestException error = expectClientError(() -> startJob(client, APP_USER, room, ROBOT, null), 400, "MSS.20010135");
        check(error.getErrorMsg().contains("concurren"), "the message says why: " + error.getErrorMsg());
        expectClientError(() -> startJob(client, APP_USER, bareRoom, ROBOT, null), 400, "MSS.20010135"); // concurrency 0
        expectClientError(() -> deleteRoom(client, APP_USER, room), 400, "MSS.20070003");
        // No call without robot_id: the Java SDK itself refuses a null or empty robot_id (an SdkException before any request).
        expectClientError(() -> startJob(client, APP_USER, room, ROBOT, "not json"), 400, "MSS.00000003");
        expectClientError(() -> startJob(client, APP_USER, UNKNOWN_ID, ROBOT, null), 404, "MSS.20070001");
    }

    @Test
    @Order(10)
    void stopEndsTheJobAndFreesItsShare() throws Exception {
        StopSmartChatJobResponse stopped = stopJob(client, APP_USER, room, job);
        answered(stopped, stopped.getXRequestId(), "stopSmartChatJob");
        ShowSmartChatJobResponse shown = showJob(client, APP_USER, room, job);
        answered(shown, shown.getXRequestId(), "showSmartChatJob after Stop");
        eq(Arrays.asList(value(shown.getState()), shown.getChatState()), Arrays.asList("SUCCEED", null), "SUCCEED, no chat_state once ended");
        eq(onWire("/job_finish_reason").asText(), "NORMAL", "job_finish_reason on the wire (3.1.143 does not model it)");
        isTime(shown.getEndTime(), "end_time");
        StopSmartChatJobResponse again = stopJob(client, APP_USER, room, job);
        answered(again, again.getXRequestId(), "stopSmartChatJob of an ended job");
        eq(showJob(client, APP_USER, room, job).getLastupdateTime(), shown.getLastupdateTime(), "a second Stop changes nothing");

        String second = startJob(client, APP_USER, room, ROBOT, null).getJobId();
        isHex32(second, "a job starts again once the first ended");
        eq(value(showJob(client, APP_USER, room, second).getState()), "WAITING", "the second job");
        stopJob(client, APP_USER, room, second);
        expectClientError(() -> showJob(client, APP_USER, room, UNKNOWN_ID), 404, "MSS.20070002");
        expectClientError(() -> stopJob(client, APP_USER, room, UNKNOWN_ID), 404, "MSS.20070002");
        eq(listRooms(client, APP_USER, r -> r.withRoomName("java lobby").withStartTime("2000-01-01T00:00:00Z")).getCount(), 1,
            "a room whose latest job started in the window");
    }

    // ---------------------------------------------------------------------------------------------
    // Dialog URLs and one-time codes
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(11)
    void createDialogUrl() throws Exception {
        CreateDialogUrlResponse made = dialogUrl(client, APP_USER, room, ROBOT);
        answered(made, made.getXRequestId(), "createDialogUrl");
        URI url = URI.create(made.getUrl());
        eq(url.getScheme() + "://" + url.getRawAuthority() + url.getPath(), env("AF_BASE_URL") + "/console/talk", "the console's dialog page");
        Map<String, String> query = new TreeMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            query.put(parts[0], java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        eq(List.copyOf(query.keySet()), List.of("expires", "project_id", "robot_id", "room_id", "session", "signature"), "its parameters");
        eq(List.of(query.get("project_id"), query.get("room_id"), query.get("robot_id")), List.of(env("AF_PROJECT_ID"), room, ROBOT),
            "project, room and robot");
        long expires = Long.parseLong(query.get("expires"));
        check(Math.abs(expires - (System.currentTimeMillis() / 1000 + 15 * 60)) < 120, "expires in 15 minutes: " + expires);
        check(!dialogUrl(client, APP_USER, room, ROBOT).getUrl().equals(made.getUrl()), "a new session each time");
        expectClientError(() -> dialogUrl(client, APP_USER, UNKNOWN_ID, ROBOT), 400, "MSS.00000003");
        expectClientError(() -> dialogUrl(client, APP_USER, room, null), 400, "MSS.10000003");
    }

    @Test
    @Order(12)
    void createOnceCode() throws Exception {
        CreateOnceCodeResponse first = client.createOnceCode(new CreateOnceCodeRequest().withXAppUserId(APP_USER));
        answered(first, first.getXRequestId(), "createOnceCode");
        check(first.getOnceCode() != null && ONCE_CODE.matcher(first.getOnceCode()).matches(), "once_code is 32 Base64url characters: " + first.getOnceCode());
        check(!client.createOnceCode(new CreateOnceCodeRequest().withXAppUserId(APP_USER)).getOnceCode().equals(first.getOnceCode()),
            "a new code each time");
    }

    // ---------------------------------------------------------------------------------------------
    // Isolation, then Delete
    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(13)
    void anotherProjectAndAppUserCannotSeeTheRoom() throws Exception {
        expectClientError(() -> showRoom(client, BOB, room), 404, "MSS.20070001");
        expectClientError(() -> startJob(client, BOB, room, ROBOT, null), 404, "MSS.20070001");
        expectClientError(() -> deleteRoom(client, BOB, room), 404, "MSS.20070001");
        eq(listRooms(client, BOB, r -> { }).getCount(), 0, "bob lists no rooms");
        eq(showRoom(client, null, room).getRoomId(), room, "without X-App-UserId the whole project is seen");

        MetaStudioClient other = AssetsConformanceTest.makeClient(env("AF_OTHER_PROJECT_ID"), env("AF_OTHER_ACCESS_KEY"),
            env("AF_OTHER_SECRET_KEY"), new AssetsConformanceTest.Wire());
        expectClientError(() -> showRoom(other, null, room), 404, "MSS.20070001");
        expectClientError(() -> updateRoom(other, null, room, lobby("taken over", 1)), 404, "MSS.20070001");
        expectClientError(() -> deleteRoom(other, null, room), 404, "MSS.20070001");
        expectClientError(() -> startJob(other, null, room, ROBOT, null), 404, "MSS.20070001");
        expectClientError(() -> showJob(other, null, room, job), 404, "MSS.20070001");
        expectClientError(() -> stopJob(other, null, room, job), 404, "MSS.20070001");
        expectClientError(() -> dialogUrl(other, null, room, ROBOT), 400, "MSS.00000003");
        expectClientError(() -> createRoom(other, null, lobby("with another project's model", 1)), 400, "MSS.00000003");
        eq(listRooms(other, null, r -> r.withLimit(100)).getCount(), 0, "another project lists no rooms");
        eq(showRoom(room).getRoomName(), "java lobby", "the refused calls changed nothing");
    }

    @Test
    @Order(14)
    void deleteARoom() throws Exception {
        for (String roomId : List.of(room, bareRoom)) {
            DeleteSmartChatRoomResponse deleted = deleteRoom(client, APP_USER, roomId);
            answered(deleted, deleted.getXRequestId(), "deleteSmartChatRoom");
            expectClientError(() -> showRoom(roomId), 404, "MSS.20070001");
            expectClientError(() -> deleteRoom(client, APP_USER, roomId), 404, "MSS.20070001");
        }
        expectClientError(() -> showJob(client, APP_USER, room, job), 404, "MSS.20070001");
        eq(listRooms(client, APP_USER, r -> r.withRoomName("java ")).getCount(), 0, "both rooms are gone");
    }
}
