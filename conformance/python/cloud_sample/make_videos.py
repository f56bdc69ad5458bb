# coding: utf-8
"""A sample written for Huawei Cloud MetaStudio: find a finished 2D digital-human model in the asset
library, make one video from text and one from recorded audio with it, wait for both, and download
each video's file from the asset library.

It runs unchanged against the cloud and against avatarforge; only the endpoint differs. Settings
come from the environment:

  CLOUD_SDK_AK, CLOUD_SDK_SK   the access key pair
  PROJECT_ID                   the project
  METASTUDIO_ENDPOINT          https://metastudio.cn-north-4.myhuaweicloud.com, or avatarforge's URL
  MODEL_ASSET_ID               optional: the asset_id of the model to use, which must be one of the
                               project's active 2D models; without it, the newest of them
  AUDIO_URL                    where the recorded speech is (the cloud: an OBS URL)
  OUTPUT_DIR                   where to save text.mp4 and audio.mp4

Prints one JSON line for the model (its asset id and name) and one per video: its job id, state,
duration, asset id, file and the file's size and MD5 as the asset library reports them.
"""

import base64
import hashlib
import json
import os
import sys
import time
import urllib.request

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkmetastudio.v1 import (
    Create2DDigitalHumanVideoReq,
    Create2DDigitalHumanVideoRequest,
    ListAssetsRequest,
    MetaStudioClient,
    OutputAssetConfig,
    ShootScript,
    ShootScriptItem,
    Show2DDigitalHumanVideoRequest,
    ShowAssetRequest,
    TextConfig,
    VideoConfig,
    VoiceConfig,
)


def find_model(client, wanted_asset_id=None):
    """The project's active 2D models, newest first: the wanted one, or else the newest."""
    offset = 0
    while True:
        page = client.list_assets(ListAssetsRequest(asset_type="HUMAN_MODEL_2D", asset_state="ACTIVED",
                                                    sort_key="create_time", sort_dir="desc", offset=offset, limit=100))
        assets = page.assets or []
        for asset in assets:
            if wanted_asset_id is None or asset.asset_id == wanted_asset_id:
                return asset
        offset += len(assets)
        if not assets or offset >= (page.count or 0):
            break
    if wanted_asset_id is not None:
        raise LookupError(f"model {wanted_asset_id} is not among the project's active 2D models")
    raise LookupError("the project has no active 2D model")


def download_video_asset(client, asset_id, target):
    """Download the MAIN file of a video asset and check it against the size and MD5 the library reports."""
    asset = client.show_asset(ShowAssetRequest(asset_id=asset_id))
    main_file = next(file for file in asset.files if file.asset_file_category == "MAIN")
    urllib.request.urlretrieve(main_file.download_url, target)
    digest = hashlib.md5()
    with open(target, "rb") as downloaded:
        for chunk in iter(lambda: downloaded.read(1 << 20), b""):
            digest.update(chunk)
    size = os.path.getsize(target)
    md5 = base64.b64encode(digest.digest()).decode("ascii")
    if main_file.file_size is not None and size != main_file.file_size:
        raise IOError(f"{target}: {size} bytes, the asset's file has {main_file.file_size}")
    if main_file.file_md5 and md5 != main_file.file_md5:
        raise IOError(f"{target}: MD5 {md5}, the asset's file has {main_file.file_md5}")
    return main_file


def make_video(client, model_asset_id, shoot_script, name):
    body = Create2DDigitalHumanVideoReq(
        model_asset_id=model_asset_id,
        voice_config=VoiceConfig(speed=100, volume=140),
        video_config=VideoConfig(codec="H264", bitrate=8000, width=1920, height=1080, frame_rate="25"),
        shoot_scripts=[ShootScriptItem(sequence_no=0, shoot_script=shoot_script)],
        output_asset_config=OutputAssetConfig(asset_name=name),
    )
    return client.create2_d_digital_human_video(Create2DDigitalHumanVideoRequest(body=body)).job_id


def wait_for(client, job_id, timeout_seconds=900):
    deadline = time.time() + timeout_seconds
    while True:
        job = client.show2_d_digital_human_video(Show2DDigitalHumanVideoRequest(job_id=job_id))
        if job.state in ("SUCCEED", "FAILED", "CANCELED"):
            return job
        if time.time() > deadline:
            raise TimeoutError(f"video job {job_id} still {job.state} after {timeout_seconds} s")
        time.sleep(2)


def main():
    credentials = BasicCredentials(os.environ["CLOUD_SDK_AK"], os.environ["CLOUD_SDK_SK"], os.environ["PROJECT_ID"])
    client = MetaStudioClient.new_builder().with_credentials(credentials).with_endpoints([os.environ["METASTUDIO_ENDPOINT"]]).build()
    output_dir = os.environ["OUTPUT_DIR"]
    try:
        model_asset = find_model(client, os.environ.get("MODEL_ASSET_ID") or None)
        model = model_asset.asset_id
        print(json.dumps({"model": model, "name": model_asset.asset_name}))
        jobs = {
            "text": make_video(client, model, ShootScript(script_type="TEXT", text_config=TextConfig(text="Hello! Welcome to our store, we are glad you are here.")), "greeting"),
            "audio": make_video(client, model, ShootScript(script_type="AUDIO", audio_drive_file_external_url=os.environ["AUDIO_URL"]), "recorded speech"),
        }
        for kind, job_id in jobs.items():
            job = wait_for(client, job_id)
            if job.state != "SUCCEED":
                print(json.dumps({"video": kind, "job_id": job_id, "state": job.state, "error": job.error_info.error_msg if job.error_info else None}))
                return 1
            asset_id = job.output_asset_config.asset_id
            target = os.path.join(output_dir, f"{kind}.mp4")
            main_file = download_video_asset(client, asset_id, target)
            print(json.dumps({"video": kind, "job_id": job_id, "state": job.state, "duration": job.duration, "asset_id": asset_id,
                              "file": target, "file_size": main_file.file_size, "file_md5": main_file.file_md5}))
    except exceptions.ClientRequestException as error:
        print(f"{error.status_code} {error.error_code}: {error.error_msg} (request {error.request_id})", file=sys.stderr)
        return 1
    except (LookupError, IOError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
